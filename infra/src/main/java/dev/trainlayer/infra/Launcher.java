package dev.trainlayer.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./trainlayer dev}: the embedded stack until Ctrl-C. {@code ./trainlayer demo}: the stack, a real
 * dataset uploaded through the API, one retrain run followed to its end, the result printed, exit.
 */
public final class Launcher {
    static final Path DEMO_DATA = Path.of("examples", "data", "breast_cancer.csv");
    static final Path DEMO_SPEC = Path.of("examples", "breast-cancer.yaml");

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        if (dev.trainlayer.infra.cli.Cli.COMMANDS.contains(command)) {
            System.exit(dev.trainlayer.infra.cli.Cli.run(args, System.getenv(), new java.io.PrintWriter(System.out, true),
                    new java.io.PrintWriter(System.err, true), java.time.Duration.ofSeconds(1)));
        }
        String unknown = switch (command) {
            case "dev" -> unknownOption(args, java.util.Set.of("--ephemeral", "--real"));
            case "demo" -> unknownOption(args, java.util.Set.of());
            default -> null;
        };
        if (unknown != null) {
            System.err.println(unknown + "\n(`./trainlayer help` lists the commands)");
            System.exit(2);
        }
        switch (command) {
            case "dev" -> {
                // Persistent real servers by default (--real is kept as a synonym); --ephemeral for the in-memory stack.
                boolean real = !java.util.Arrays.asList(args).contains("--ephemeral");
                try {
                    dev(real, bindHost(args));
                } catch (Exception e) {
                    System.err.println("could not start the dev stack: " + rootMessage(e)
                            + "\n(is another stack using ports 7233, " + (real ? "8233, 7243, 7235, 9000, 9001" : "9000")
                            + " or 8080? TRAINLAYER_API_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT, TEMPORAL_HTTP_PORT, TEMPORAL_METRICS_PORT,"
                            + " S3_PORT and S3_CONSOLE_PORT move them; `./trainlayer demo` uses free ports)");
                    System.exit(1);
                }
            }
            case "demo" -> {
                try {
                    System.exit(demo(bindHost(args)));
                } catch (Exception e) {
                    System.err.println("demo failed: " + rootMessage(e));
                    System.exit(1);
                }
            }
            default -> {
                System.out.println("""
                        usage: ./trainlayer <command>
                          dev    the local retraining service until Ctrl-C: Temporal dev server :7233 with its web UI on :8233
                                 (SQLite under .trainlayer/dev), MinIO :9000 and the API :8080; runs, registries and
                                 schedules survive restarts; the servers are built from source the first time (minutes)
                          dev --ephemeral
                                 the in-memory stack instead (Temporal test server, S3 files): starts at once, keeps
                                 only artifacts, has no web UI and no schedules
                          demo   run the stack, retrain the breast-cancer example once, print the result and exit
                          submit SPEC [--watch] | runs | run ID | watch ID | models NAME | rollback NAME [--to N] | approve ID
                                 the command line against a running API (TRAINLAYER_URL, key TRAINLAYER_API_KEY);
                                 `./trainlayer submit --help` and the like say more
                          --host ADDR (or TRAINLAYER_BIND=ADDR)
                                 open the API (and only the API) on ADDR, e.g. 0.0.0.0; every listener is on 127.0.0.1 otherwise
                        """);
                System.exit("help".equals(command) ? 0 : 2);
            }
        }
    }

    /** An option the command does not know, or --host without its address: said at once, never ignored. */
    static String unknownOption(String[] args, java.util.Set<String> flags) {
        for (int i = 1; i < args.length; i++) {
            if ("--host".equals(args[i])) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    return "--host needs an address, e.g. --host 0.0.0.0";
                }
                i++;
            } else if (!flags.contains(args[i])) {
                return "unknown option '" + args[i] + "' for `./trainlayer " + args[0] + "` (options: "
                        + String.join(", ", new java.util.TreeSet<>(flags)) + (flags.isEmpty() ? "" : ", ") + "--host ADDR)";
            }
        }
        return null;
    }

    /** {@code --host ADDR} or {@code TRAINLAYER_BIND}: where the API listens (null: loopback). */
    static String bindHost(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if ("--host".equals(args[i])) {
                return args[i + 1];
            }
        }
        String env = System.getenv("TRAINLAYER_BIND");
        return env == null || env.isBlank() ? null : env.trim();
    }

    /** What {@code ./trainlayer dev} runs: every listener on loopback, the API on {@code host} when one is given. */
    static DevStack.Options devOptions(boolean real, String host) throws IOException {
        int slots = Math.max(1, Runtime.getRuntime().availableProcessors());
        int api = port("TRAINLAYER_API_PORT", 8080);
        RealServers.Ports ports = new RealServers.Ports(port("TEMPORAL_PORT", 7233), port("TEMPORAL_UI_PORT", 8233),
                port("TEMPORAL_HTTP_PORT", 7243), port("TEMPORAL_METRICS_PORT", 7235), port("S3_PORT", 9000), port("S3_CONSOLE_PORT", 9001));
        DevStack.Options options = real ? DevStack.Options.real(realHome(), ports, api, slots)
                : new DevStack.Options(home().resolve("dev"), ports.temporal(), ports.s3(), api, slots, false, null, null, null, null);
        return options.withAccess(LocalKeys.access(home())).withApiHost(host);
    }

    /** Where the launcher keeps its data and the generated key: {@code TRAINLAYER_HOME}, {@code .trainlayer} by default. */
    static Path home() {
        String home = System.getenv("TRAINLAYER_HOME");
        return home == null || home.isBlank() ? LocalKeys.DIR : Path.of(home);
    }

    /** A port from the environment (the names {@code infra/scripts/real-servers.sh} reads), or its default. */
    static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + "=" + value + " is not a port (1-65535)");
    }

    /**
     * Where the persistent dev stack keeps its servers' data: {@code .trainlayer/dev}, or {@code .trainlayer/real}
     * when only that exists (where {@code ./trainlayer dev --real} kept it before persistence became the default).
     */
    static Path realHome() {
        Path home = home().resolve("dev");
        Path legacy = home().resolve("real");
        if (!Files.isDirectory(home.resolve("temporal")) && Files.isDirectory(legacy.resolve("temporal"))) {
            System.out.println("using the servers' data in " + legacy + " (kept there by an earlier `./trainlayer dev --real`)");
            return legacy;
        }
        return home;
    }

    static void dev(boolean real, String host) throws Exception {
        DevStack stack = DevStack.start(devOptions(real, host));
        warnWhenOpen(stack);
        printEndpoints(stack);
        Path home = stack.options().home();
        System.out.println(real
                ? "Ctrl-C stops the stack. Runs, registries, schedules and the web UI's history persist in " + home.resolve("temporal")
                        + "; artifacts in " + home.resolve("minio") + ". A run in flight continues at the next start."
                        + " (`./trainlayer dev --ephemeral`: the in-memory stack, nothing kept.)"
                : "Ephemeral stack: workflow state lives in memory and is gone at Ctrl-C (artifacts stay under " + home.resolve("s3") + "; "
                        + "models come back from them, runs show as LOST). No web UI, no schedules: `./trainlayer dev` has both.");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("shutdown: " + e.getMessage());
            }
            stop.countDown();
        }));
        stop.await();
    }

    static void printEndpoints(DevStack stack) {
        System.out.println();
        System.out.println("trainlayer dev stack is up");
        System.out.println("  Dashboard  " + stack.apiUrl() + "/ui/   (log in with the API key below)");
        System.out.println("  API        " + stack.apiUrl() + "/api/v1   (OpenAPI: " + stack.apiUrl() + "/openapi/)");
        if (stack.realServers() != null) {
            System.out.println("  Temporal   " + stack.temporalTarget() + "   web UI " + stack.realServers().temporalUi()
                    + "   (namespace 'default')");
        } else {
            System.out.println("  Temporal   " + stack.temporalTarget() + "   (Java test server: no web UI; namespace 'default')");
        }
        System.out.println("  S3         " + stack.s3Endpoint() + "   bucket 'trainlayer', access key '" + DevStack.DEV_ACCESS_KEY
                + "', secret '" + DevStack.DEV_SECRET_KEY + "' (dev only)");
        System.out.println("  API key    " + LocalKeys.describe(stack.options().access(), home(), stack.apiUrl()));
        System.out.println();
    }

    /** The API opened beyond this machine with only the generated admin key: say so, loudly, once. */
    static void warnWhenOpen(DevStack stack) {
        String host = stack.options().apiHost();
        if (!host.equals(DevStack.LOOPBACK) && !host.equals("localhost") && !host.equals("::1")) {
            boolean generatedOnly = LocalKeys.isGenerated(stack.options().access());
            System.err.println("WARNING: the API listens on " + host + ":" + stack.apiUrl().replaceAll(".*:", "")
                    + ", reachable from other machines." + (generatedOnly
                    ? " No TRAINLAYER_API_KEYS are configured: the generated admin key is the only key, and whoever has it may do"
                    + " everything. Set TRAINLAYER_API_KEYS with one key per person and role."
                    : " Every call needs one of TRAINLAYER_API_KEYS.")
                    + " Temporal and the object store stay on 127.0.0.1.");
        }
    }

    static int demo(String host) throws Exception {
        Path home = home().resolve("demo");
        deleteRecursively(home);
        long started = System.nanoTime();
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home, Math.max(1, Runtime.getRuntime().availableProcessors()))
                .withAccess(LocalKeys.access(home())).withApiHost(host))) {
            printEndpoints(stack);
            warnWhenOpen(stack);
            ApiClient api = stack.apiClient();
            ApiClient.Response upload = api.uploadDataset("breast-cancer", DEMO_DATA);
            require(upload.status() == 201, "dataset upload answered " + upload.status() + ": " + upload.body());
            String uri = upload.body().path("uri").asText();
            System.out.println("uploaded " + DEMO_DATA + " -> " + uri + " (" + upload.body().path("bytes").asLong() + " bytes)");
            String spec = Files.readString(DEMO_SPEC).replace("${DATA_URI}", uri);
            ApiClient.Response run = api.postSpec(spec);
            require(run.status() == 202, "POST /api/v1/runs answered " + run.status() + ": " + run.body());
            String runId = run.body().path("runId").asText();
            System.out.println("started run " + runId + " (workflow " + run.body().path("workflowId").asText() + ")");
            JsonNode result = api.awaitRun(runId, Duration.ofMinutes(30), Launcher::progress);
            printResult(api, result);
            System.out.printf(Locale.ROOT, "%ndemo finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
            System.out.println("The demo ran on the in-memory stack and kept nothing. `./trainlayer dev` is the local service:"
                    + " persistent Temporal with its web UI (http://127.0.0.1:8233) and scheduled retrains.");
            return "SUCCEEDED".equals(result.path("status").asText()) ? 0 : 1;
        }
    }

    static void progress(JsonNode run) {
        StringBuilder line = new StringBuilder("  [" + run.path("status").asText() + "] phase " + run.path("phase").asText("-"));
        for (JsonNode t : run.path("trials")) {
            line.append(" | ").append(t.path("trialId").asText()).append(' ').append(t.path("status").asText());
            if (!t.path("objective").isMissingNode() && !t.path("objective").isNull()) {
                line.append(String.format(Locale.ROOT, " %s=%.4f", run.path("metric").asText(), t.path("objective").asDouble()));
            }
        }
        System.out.println(line);
    }

    static void printResult(ApiClient api, JsonNode run) throws IOException, InterruptedException {
        System.out.println();
        System.out.println("run " + run.path("runId").asText() + ": " + run.path("status").asText());
        if (run.has("failure")) {
            System.out.println("  failure: " + run.path("failure").path("type").asText() + ": " + run.path("failure").path("message").asText());
            return;
        }
        System.out.println("  dataset sha256  " + run.path("datasetSha256").asText() + " (" + run.path("rows").asLong() + " rows)");
        System.out.println("  best trial      " + run.path("bestTrial").asText());
        System.out.println("  test metrics    " + run.path("metrics"));
        for (JsonNode g : run.path("gates")) {
            System.out.println("  gate " + g.path("gate").asText() + ": " + (g.path("passed").asBoolean() ? "PASS" : "FAIL")
                    + " (" + g.path("detail").asText() + ")");
        }
        for (JsonNode r : run.path("reasons")) {
            System.out.println("  reason: " + r.asText());
        }
        if (run.hasNonNull("modelVersion")) {
            String model = run.path("model").asText();
            int version = run.path("modelVersion").asInt();
            System.out.println("  model version   " + model + " v" + version + (run.path("promoted").asBoolean() ? " (champion)" : ""));
            JsonNode v = api.get("/api/v1/models/" + model + "/versions/" + version).body();
            JsonNode lineage = v.path("lineage");
            System.out.println("  lineage         run " + lineage.path("runId").asText() + ", trial " + lineage.path("trialId").asText()
                    + " (" + lineage.path("type").asText() + "), seed " + lineage.path("seed").asText()
                    + ", spec " + lineage.path("specHash").asText().substring(0, 12));
            System.out.println("  params          " + lineage.path("params"));
            System.out.println("  environment     " + lineage.path("environment"));
            System.out.println("  artifacts       " + v.path("artifacts").path("bucket").asText() + "/" + v.path("artifacts").path("key").asText());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " — " + t.getMessage();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
