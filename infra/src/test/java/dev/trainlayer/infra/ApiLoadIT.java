package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API under load, on the embedded stack over loopback: {@code trainlayer.load.clients} clients (50) for
 * {@code trainlayer.load.seconds} (60) submit runs with idempotency keys from small per-client pools, so most
 * submissions repeat a key, sometimes at the same moment from two clients; one more client reads runs and lists
 * while their trials train. Every answer must be 202 (new) or 200 (the same run again), every key must name
 * exactly one run, and reads must keep answering. Latencies are printed and, with {@code -Dtrainlayer.load.docs=FILE},
 * written to that benchmarks file. Bounded in count and time; only 127.0.0.1.
 */
class ApiLoadIT {
    static final int CLIENTS = Integer.getInteger("trainlayer.load.clients", 50);
    static final int SECONDS = Integer.getInteger("trainlayer.load.seconds", 60);
    static final int KEYS_PER_POOL = 8;
    /** Clients share key pools two by two, so the same key is sent concurrently from different connections. */
    static final int POOLS = Math.max(1, CLIENTS / 2);

    @TempDir
    Path home;

    record Sample(long nanos, int status) {}

    @Test
    void concurrentIdempotentSubmissionsStartOneRunPerKeyAndReadsKeepAnswering() throws Exception {
        try (DevStack stack = DevStack.start(DevStack.Options.ephemeral(home, 2))) {
            ApiClient api = stack.apiClient();
            ApiClient.Response upload = api.uploadDataset("breast-cancer", Path.of("..", "examples", "data", "breast_cancer.csv"));
            assertEquals(201, upload.status(), upload.body()::toString);
            String spec = """
                    name: load
                    task: classification
                    target: diagnosis
                    data: {uri: "%s"}
                    models:
                      - type: xgboost
                        params: {numRounds: 20, earlyStoppingRounds: 5}
                    """.formatted(upload.body().path("uri").asText());

            Map<String, Set<String>> runsByKey = new ConcurrentHashMap<>();
            List<Sample> writes = Collections.synchronizedList(new ArrayList<>());
            List<Sample> reads = Collections.synchronizedList(new ArrayList<>());
            List<Sample> lists = Collections.synchronizedList(new ArrayList<>());
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger created = new AtomicInteger();
            long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    Random random = new Random(client);
                    while (System.nanoTime() < deadline) {
                        String key = "load-" + (client % POOLS) + "-" + random.nextInt(KEYS_PER_POOL);
                        long t = System.nanoTime();
                        ApiClient.Response r = api.postSpec(spec, "Idempotency-Key", key);
                        writes.add(new Sample(System.nanoTime() - t, r.status()));
                        if (r.status() == 202) {
                            created.incrementAndGet();
                        }
                        if (r.status() != 202 && r.status() != 200) {
                            errors.add("POST " + key + " -> " + r.status() + " " + r.body());
                        } else {
                            runsByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(r.body().path("runId").asText());
                        }
                    }
                    return null;
                }));
            }
            clients.add(pool.submit(() -> {
                Random random = new Random(-1);
                while (System.nanoTime() < deadline) {
                    List<String> known = runsByKey.values().stream().flatMap(Set::stream).toList();
                    boolean list = known.isEmpty() || random.nextInt(4) == 0;
                    String path = list ? "/api/v1/runs?pipeline=load&limit=20" : "/api/v1/runs/" + known.get(random.nextInt(known.size()));
                    long t = System.nanoTime();
                    ApiClient.Response r = api.get(path);
                    (list ? lists : reads).add(new Sample(System.nanoTime() - t, r.status()));
                    if (r.status() != 200) {
                        errors.add("GET " + path + " -> " + r.status() + " " + r.body());
                    }
                }
                return null;
            }));
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();

            int distinctKeys = runsByKey.size();
            List<String> twice = runsByKey.entrySet().stream().filter(e -> e.getValue().size() != 1)
                    .map(e -> e.getKey() + " -> " + e.getValue()).toList();
            int trained = api.get("/api/v1/runs?pipeline=load&status=SUCCEEDED&limit=500").body().path("runs").size();
            String report = report(writes, reads, lists, distinctKeys, created.get(), trained, errors.size());
            System.out.println(report);
            String docs = System.getProperty("trainlayer.load.docs");
            if (docs != null) {
                writeSection(Path.of(docs), report);
            }
            assertTrue(errors.isEmpty(), errors.size() + " errors, the first: " + errors.subList(0, Math.min(5, errors.size())));
            assertTrue(twice.isEmpty(), "keys that started more than one run: " + twice);
            assertEquals(distinctKeys, created.get(), "one 202 per key, 200 for every repeat");
            assertTrue(reads.size() + lists.size() >= 5, "reads kept answering while runs trained: " + reads.size() + lists.size());
        }
    }

    static long percentile(List<Sample> samples, double p) {
        List<Long> sorted = samples.stream().map(Sample::nanos).sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1_000_000;
    }

    static String row(String what, List<Sample> samples) {
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %d ms | %d ms | %d ms |%n", what, samples.size(),
                samples.size() / (double) SECONDS, percentile(samples, 0.5), percentile(samples, 0.99), percentile(samples, 1.0));
    }

    static String report(List<Sample> writes, List<Sample> reads, List<Sample> lists, int keys, int created, int finished, int errors) {
        return "| what | requests | per second | p50 | p99 | max |\n|------|---------:|-----------:|----:|----:|----:|\n"
                + row("`POST /api/v1/runs` with `Idempotency-Key` (" + CLIENTS + " clients)", writes)
                + row("`GET /api/v1/runs/{id}` of a training run (1 reader, with the next row)", reads)
                + row("`GET /api/v1/runs?pipeline=load&limit=20`", lists)
                + String.format(Locale.ROOT, """

                %d distinct keys → %d runs started (each key exactly one; %d repeats answered 200 with the same run), %d of them
                finished training by the end, %d errors.
                """, keys, created, writes.size() - created, finished, errors);
    }

    /** What the figures mean, written under them. */
    static final String NOTE = """
            Everything runs in one JVM on 2 cores (API, worker, Temporal test server, S3Proxy), so the writers starve the worker:
            few of the runs train within the minute. A read of a running run waits for the worker to answer the workflow
            query for at most `trainlayer.api.query-timeout` (3 s), then answers from what the server alone knows; on the
            embedded stack a list reads each listed run's index entry from the store and describes its workflow (real servers
            answer a list with one visibility query). Reads are slow under this load but never fail.
            """;

    static void writeSection(Path file, String report) throws java.io.IOException {
        String start = "## API under load (embedded stack, loopback)";
        String end = "<!-- end api-load -->";
        String body = "\nMeasured by `bench/run-api-load.sh` (`ApiLoadIT`: " + CLIENTS + " clients, " + SECONDS + " s, "
                + POOLS + " pools of " + KEYS_PER_POOL + " keys shared by two clients each, a spec training XGBoost on the "
                + "breast-cancer data; one worker with 2 training slots) on " + java.time.LocalDate.now() + ", 2 shared cores.\n\n"
                + report + "\n" + NOTE;
        String existing = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int from = existing.indexOf(start);
        int to = existing.indexOf(end);
        String section = start + "\n" + body + end;
        Files.writeString(file, from >= 0 && to > from ? existing.substring(0, from) + section + existing.substring(to + end.length())
                : existing + "\n" + section + "\n");
    }
}
