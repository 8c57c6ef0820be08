package dev.trainlayer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.activities.data.DataActivitiesImpl;
import dev.trainlayer.store.EmbeddedS3Server;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.activity.FeaturesInput;
import dev.trainlayer.workflows.activity.FeaturesResult;
import dev.trainlayer.workflows.activity.SnapshotInput;
import dev.trainlayer.workflows.activity.SnapshotResult;
import dev.trainlayer.workflows.activity.ValidateInput;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A run's data phases against pandas, side by side in one run, at several table sizes: snapshot (copy, hash, parse,
 * profile), validate and features (split, fit on the training rows, encode the three matrices) as the worker runs
 * them, in a JVM of its own (the deployed worker's heap setting) talking to the store over HTTP in this process;
 * against {@code bench/data_anchor.py}: pandas read_csv, a seeded split and standardization into float32 matrices.
 * Peak RSS is each process's high-water mark.
 */
public final class DataPathBenchmark {
    static final String ACCESS = "bench-access";
    static final String SECRET = "bench-secret-key";
    static final String TARGET = "y";
    static final String WORKER_HEAP = "1536m";
    /** Timed runs of each side per table size; the median run is reported. */
    static final int REPEATS = Integer.getInteger("bench.repeats", 3);

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : args[0].split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        int cols = Integer.parseInt(args[1]);
        Path python = Path.of(args[2]);
        Path doc = Path.of(args[3]);
        Path dir = Files.createDirectories(Path.of("bench", "results", "data-path"));
        Path storeDir = Files.createTempDirectory("trainlayer-data-bench-");
        ObjectMapper json = new ObjectMapper();
        StringBuilder rows = new StringBuilder();
        String pandasVersion = "?";
        // The store: S3Proxy (the embedded stacks' and the tests') by default; -Dbench.store=minio runs MinIO, the store
        // of ./trainlayer dev and of a deployment, as its own process.
        boolean minio = "minio".equals(System.getProperty("bench.store"));
        try (Store server = minio ? Store.minio(storeDir) : Store.s3proxy(storeDir)) {
            ObjectStore incoming = new ObjectStore(new StoreConfig(server.endpoint(), server.access(), server.secret(), "incoming",
                    "us-east-1"));
            incoming.ensureBucket("incoming");
            // A deployed worker is a long-lived JVM: each timed run follows one untimed run on a small table, so the
            // times are the work's, not class loading and JIT compilation's.
            Path warm = dir.resolve("warm-up-20000x" + cols + ".csv");
            if (!Files.exists(warm)) {
                generate(warm, 20_000, cols);
            }
            incoming.putFile(warm.getFileName().toString(), warm, sha256(warm), "text/csv");
            String warmUri = "s3://incoming/" + warm.getFileName();
            for (int n : sizes) {
                Path csv = dir.resolve("table-" + n + "x" + cols + ".csv");
                if (!Files.exists(csv)) {
                    generate(csv, n, cols);
                }
                String key = csv.getFileName().toString();
                incoming.putFile(key, csv, sha256(csv), "text/csv");
                String uri = "s3://incoming/" + key;
                // The heap a worker gets in a 2 GB container (the image's -XX:MaxRAMPercentage=75), so peak RSS is
                // what the worker needs, not what an uncapped heap grows to.
                List<String> worker = new ArrayList<>(List.of(javaBin(), "-Xmx" + WORKER_HEAP));
                // e.g. -Dbench.worker.jvmArgs=-XX:StartFlightRecording=filename=worker.jfr,settings=profile
                for (String extra : System.getProperty("bench.worker.jvmArgs", "").split(" ")) {
                    if (!extra.isBlank()) {
                        worker.add(extra);
                    }
                }
                worker.addAll(List.of("-Dai.djl.offline=true", "-Dlogback.configurationFile=infra/src/main/resources/logback.xml",
                        "-Dbench.access=" + server.access(), "-Dbench.secret=" + server.secret(),
                        "-cp", classpath(), Worker.class.getName(), server.endpoint(), uri, warmUri, String.valueOf(REPEATS)));
                JsonNode tl = json.readTree(lastLine(run(worker)));
                // The anchor as often as trainlayer's phases, its median run reported (this shared machine moves both).
                List<JsonNode> anchors = new ArrayList<>();
                for (int i = 0; i < REPEATS; i++) {
                    anchors.add(json.readTree(lastLine(run(List.of(python.toString(), "bench/data_anchor.py", csv.toString(), TARGET)))));
                }
                anchors.sort(java.util.Comparator.comparingDouble(a -> a.path("total").asDouble()));
                JsonNode pd = anchors.get(anchors.size() / 2);
                pandasVersion = pd.path("pandas").asText();
                double ours = tl.path("total").asDouble();
                double theirs = pd.path("total").asDouble();
                String line = String.format(Locale.ROOT, "| %,d | %.0f | %.2f | %.2f | %.2f | **%.2f** | %.2f | **%.2f×** | %.0f | %.0f |%n",
                        n, Files.size(csv) / 1e6, tl.path("snapshot").asDouble(), tl.path("validate").asDouble(),
                        tl.path("features").asDouble(), ours, theirs, ours / theirs, tl.path("peakRssMb").asDouble(),
                        pd.path("peakRssMb").asDouble());
                System.out.print(line);
                rows.append(line);
                incoming.delete(key);
            }
        } finally {
            deleteTree(storeDir);
        }
        String body = minio ? "### The same with MinIO as the store\n\n"
                + "Command: `BENCH_STORE=minio bench/run-data-bench.sh [sizes] [columns]`: as above, but the store is MinIO (built by "
                + "`infra/scripts/build-servers.sh`; the store of `./trainlayer dev` and of a deployment) in a process of its own "
                + "instead of S3Proxy (pandas " + pandasVersion + ").\n\n"
                : "## Data phases vs pandas\n\n"
                + "Command: `bench/run-data-bench.sh [sizes] [columns]` (generated tables: " + cols + " numeric columns with 6 decimals, "
                + "2% missing, and a 0/1 target). trainlayer: the snapshot, validate and features activities as a worker runs them "
                + "(copy and hash, parse, profile; the spec's checks; a 65/15/20 split, the pipeline fitted on the training rows, "
                + "three encoded matrices and the test rows written), timed after one untimed run of the three on a 20,000-row "
                + "table (a worker is a long-lived JVM: the times are the work's, not class loading and JIT compilation's), "
                + "each side run " + REPEATS + " times and its median run shown (each trainlayer run a dataset of its own, so "
                + "every snapshot is written), "
                + "in a JVM of their own with the heap a worker gets in a "
                + "2 GB container (`-Xmx" + WORKER_HEAP + "`, the image's `-XX:MaxRAMPercentage=75`), the store (S3Proxy) over "
                + "HTTP in another process. pandas " + pandasVersion
                + ": `read_csv`, a seeded 65/15/20 split, median imputation and standardization fitted on the training rows, "
                + "three float32 matrices (`bench/data_anchor.py`), timed from `read_csv` (imports excluded). One thread of work each "
                + "(trainlayer reads ahead and uploads on a second thread, and hashes the split's rows and fits and encodes the "
                + "numeric columns on two; validation and features use the table the worker's snapshot parsed); 2 shared cores.\n\n";
        body = body
                + "| rows | MB | snapshot s | validate s | features s | trainlayer s | pandas s | ratio | trainlayer peak RSS MB "
                + "| pandas peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|\n" + rows
                + "\nTargets: data phases ≤ 2× pandas; worker peak RSS ≤ 2 GB at 1M rows; time linear in rows.\n";
        if (minio) {
            Sections.write(doc, "<!-- data-path-minio:start (generated by BENCH_STORE=minio bench/run-data-bench.sh) -->",
                    "<!-- data-path-minio:end -->", body);
        } else {
            Sections.write(doc, "<!-- data-path:start (generated by bench/run-data-bench.sh) -->", "<!-- data-path:end -->", body);
        }
        // The real servers' helpers leave a scheduler thread behind; the bench is done.
        System.exit(0);
    }

    /** The worker side: the three data activities in order, timed; prints one JSON line. */
    public static final class Worker {
        public static void main(String[] args) throws Exception {
            String endpoint = args[0];
            String uri = args[1];
            ObjectStore store = new ObjectStore(new StoreConfig(endpoint, System.getProperty("bench.access", ACCESS),
                    System.getProperty("bench.secret", SECRET), "trainlayer", "us-east-1"));
            store.ensureBucket("trainlayer");
            DataActivitiesImpl data = new DataActivitiesImpl(store);
            phases(data, args[2], "warm-up");
            PipelineSpec spec = phasesSpec(uri);
            int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
            List<double[]> runs = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                String dataset = "bench-" + i;
                long t0 = System.nanoTime();
                SnapshotResult snapshot = data.snapshot(new SnapshotInput(dataset, dataset, uri, null));
                long t1 = System.nanoTime();
                data.validate(new ValidateInput(dataset, spec, snapshot));
                long t2 = System.nanoTime();
                FeaturesResult features = data.buildFeatures(new FeaturesInput(dataset, spec, snapshot));
                long t3 = System.nanoTime();
                if (features.trainRows() + features.validationRows() + features.testRows() != snapshot.rows()) {
                    throw new IllegalStateException("the split lost rows");
                }
                runs.add(new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9});
            }
            runs.sort(java.util.Comparator.comparingDouble(r -> r[3]));
            double[] median = runs.get(runs.size() / 2);
            System.out.printf(Locale.ROOT, "{\"snapshot\": %.3f, \"validate\": %.3f, \"features\": %.3f, \"total\": %.3f, \"peakRssMb\": %.1f}%n",
                    median[0], median[1], median[2], median[3], peakRssMb());
        }
    }

    /** The store the bench runs against, its credentials, and how to stop it. */
    record Store(String endpoint, String access, String secret, AutoCloseable server) implements AutoCloseable {
        static Store s3proxy(Path dir) throws Exception {
            EmbeddedS3Server server = EmbeddedS3Server.start(dir, 0, ACCESS, SECRET);
            return new Store(server.endpoint(), ACCESS, SECRET, server);
        }

        static Store minio(Path dir) throws Exception {
            dev.trainlayer.infra.RealServers servers = dev.trainlayer.infra.RealServers.startOnFreePorts(dir);
            servers.stopTemporal();
            return new Store(servers.s3Endpoint(), dev.trainlayer.infra.RealServers.ACCESS_KEY,
                    dev.trainlayer.infra.RealServers.SECRET_KEY, servers);
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    static PipelineSpec phasesSpec(String uri) {
        return SpecParser.parse("name: bench\ntask: classification\ntarget: " + TARGET + "\ndata: {uri: \"" + uri
                + "\"}\nmodels:\n  - type: xgboost\nseed: 1\n");
    }

    /** The three data phases on one table, untimed (the warm-up). */
    static void phases(DataActivitiesImpl data, String uri, String dataset) {
        PipelineSpec spec = phasesSpec(uri);
        SnapshotResult snapshot = data.snapshot(new SnapshotInput(dataset, dataset, uri, null));
        data.validate(new ValidateInput(dataset, spec, snapshot));
        data.buildFeatures(new FeaturesInput(dataset, spec, snapshot));
    }

    /** This process's resident-set high-water mark (VmHWM), in MB. */
    static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** A seeded numeric table: {@code cols} columns of 6-decimal values (2% missing) and a 0/1 target they predict. */
    static void generate(Path csv, int n, int cols) throws IOException {
        SplittableRandom random = new SplittableRandom(n);
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int c = 0; c < cols; c++) {
                out.write("x" + c + ",");
            }
            out.write(TARGET + "\n");
            double[] row = new double[cols];
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < n; r++) {
                line.setLength(0);
                double score = 0;
                for (int c = 0; c < cols; c++) {
                    row[c] = random.nextGaussian() * (1 + c % 5) + c;
                    score += (c % 3 == 0 ? 1 : -0.5) * (row[c] - c) / (1 + c % 5);
                    if (random.nextDouble() >= 0.02) {
                        line.append(String.format(Locale.ROOT, "%.6f", row[c]));
                    }
                    line.append(',');
                }
                line.append(score + random.nextGaussian() * 2 > 0 ? '1' : '0').append('\n');
                out.append(line);
            }
        }
        Files.move(tmp, csv);
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + out);
        }
        return out;
    }

    static String lastLine(String out) {
        return out.substring(out.lastIndexOf('\n') + 1);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classpath() throws IOException {
        Path target = Path.of("bench", "target").toAbsolutePath();
        return target.resolve("classes") + File.pathSeparator + Files.readString(target.resolve("classpath.txt")).trim();
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private DataPathBenchmark() {}
}
