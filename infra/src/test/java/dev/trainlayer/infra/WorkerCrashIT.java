package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import dev.trainlayer.workflows.TaskQueues;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.client.TemporalConnection;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.RetrainInput;
import dev.trainlayer.workflows.workflow.RetrainWorkflow;
import dev.trainlayer.workflows.workflow.RunState;
import dev.trainlayer.workflows.workflow.RunStatus;
import dev.trainlayer.workflows.workflow.SearchAttributes;
import dev.trainlayer.workflows.workflow.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise that matters most: a crash never costs a run. Real servers, a worker in its own JVM killed
 * with SIGKILL in the middle of training, a fresh worker started in its place: the trial resumes from its
 * last checkpoint (not epoch 0), the run completes, and its model and metrics are exactly those of an
 * uninterrupted run with the same seed.
 */
class WorkerCrashIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static RealServers servers;
    static WorkflowServiceStubs stubs;
    static WorkflowClient client;
    static ObjectStore store;
    static String dataUri;
    static final List<Process> workers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        servers = RealServers.startOnFreePorts(home);
        stubs = TemporalConnection.stubs(servers.temporalTarget());
        TemporalConnection.registerSearchAttributes(stubs, "default");
        client = TemporalConnection.client(stubs, "default");
        store = ObjectStore.open(new StoreConfig(servers.s3Endpoint(), RealServers.ACCESS_KEY, RealServers.SECRET_KEY,
                "trainlayer", "us-east-1"));
        store.putBytes("uploads/bc.csv", Files.readAllBytes(Path.of("..", "examples", "data", "breast_cancer.csv")), "text/csv");
        dataUri = "s3://trainlayer/uploads/bc.csv";
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : workers) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (servers != null) {
            servers.close();
        }
    }

    /** A worker process, as `java -cp … WorkerApplication` runs it in production. */
    static Process worker(String name) throws Exception {
        // Under target/ rather than the temporary home, so the logs outlive a failed run.
        Path log = Files.createDirectories(Path.of("target", "it-logs")).resolve(name + ".log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", workerClasspath(),
                "-Dtrainlayer.temporal.target=" + servers.temporalTarget(),
                "-Dtrainlayer.store.endpoint=" + servers.s3Endpoint(),
                "-Dtrainlayer.store.access-key=" + RealServers.ACCESS_KEY,
                "-Dtrainlayer.store.secret-key=" + RealServers.SECRET_KEY,
                // The dev stack's own real servers, on loopback: their built-in credentials are allowed here.
                "-D" + dev.trainlayer.store.StoreConfig.DEV_STACK + "=true",
                "-Dtrainlayer.worker.training-slots=2",
                "-Dtrainlayer.checkpoint.interval=0s",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dtrainlayer.xgboost.nthread=1",
                "dev.trainlayer.worker.WorkerApplication"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process p = builder.start();
        workers.add(p);
        return p;
    }

    /** The worker module's runtime class path (written by its build): a worker process has no API on it. */
    static String workerClasspath() throws Exception {
        Path worker = Path.of("..", "worker", "target").toAbsolutePath().normalize();
        return worker.resolve("classes") + java.io.File.pathSeparator + Files.readString(worker.resolve("classpath.txt")).trim();
    }

    static PipelineSpec spec() {
        // Long enough to be killed mid-training (hundreds of small batches per epoch), no early stop.
        return SpecParser.parse("""
                name: crash
                task: classification
                target: diagnosis
                data: {uri: %s}
                seed: 3
                models:
                  - type: mlp
                    params: {hiddenLayers: [64, 64], batchSize: 2, maxEpochs: 40, patience: 1000}
                gates: {min: {accuracy: 0.5}}
                """.formatted(dataUri));
    }

    static RetrainWorkflow run(String runId) {
        return start(spec(), runId);
    }

    /** The training activity's last heartbeat: {epoch, checkpoint, validationMetric}, and its attempt. */
    static Optional<JsonNode> trialHeartbeat(String workflowId) throws Exception {
        return trialHeartbeat(stubs, workflowId);
    }

    /** The same, through any server's stubs (DefaultStackIT reads its own stack's). */
    static Optional<JsonNode> trialHeartbeat(WorkflowServiceStubs stubs, String workflowId) throws Exception {
        var description = stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
        for (PendingActivityInfo a : description.getPendingActivitiesList()) {
            if (a.getActivityType().getName().equals("TrainTrial") && a.hasHeartbeatDetails()
                    && a.getHeartbeatDetails().getPayloadsCount() > 0) {
                JsonNode beat = JSON.readTree(a.getHeartbeatDetails().getPayloads(0).getData().toStringUtf8());
                return Optional.of(((com.fasterxml.jackson.databind.node.ObjectNode) beat).put("attempt", a.getAttempt()));
            }
        }
        return Optional.empty();
    }

    static JsonNode ledgerTrial(String runId) throws Exception {
        return JSON.readTree(store.getString(Keys.ledger(runId)).split("\n")[0]).path("trial");
    }

    static RunState reference;

    /** The uninterrupted run every disturbed run is compared with (same spec, data and seed). */
    static synchronized RunState reference() throws Exception {
        if (reference == null) {
            ensureWorker();
            reference = WorkflowStub.fromTyped(run("run-reference")).getResult(RunState.class);
        }
        return reference;
    }

    static void ensureWorker() throws Exception {
        if (workers.stream().noneMatch(Process::isAlive)) {
            worker("worker-" + (workers.size() + 1));
        }
    }

    /** Waits until the run's trial is training (it has heartbeat a committed checkpoint). */
    static JsonNode awaitTraining(String workflowId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode beat = trialHeartbeat(workflowId).orElse(null);
            if (beat != null && beat.path("epoch").asInt() >= 1 && beat.hasNonNull("checkpoint")) {
                return beat;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the trial of " + workflowId + " never heartbeat a checkpoint");
    }

    @Test
    void aTemporalServerRestartMidTrainingCostsNothing() throws Exception {
        ensureWorker();
        RetrainWorkflow run = run("run-temporal-restart");
        awaitTraining(WorkflowIds.retrain("crash", "run-temporal-restart"));
        long t0 = System.nanoTime();
        servers.stopTemporal(); // the SQLite file stays; workers and clients reconnect on their own
        Thread.sleep(3000);
        servers.startTemporal();
        RunState state = WorkflowStub.fromTyped(run).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        boolean identical = state.metrics().equals(reference().metrics());
        System.out.printf("temporal restart: runs tried 1, completed 1, identical %d; restart -> run done %.1f s%n",
                identical ? 1 : 0, (System.nanoTime() - t0) / 1e9);
        assertEquals(reference().metrics(), state.metrics());
    }

    @Test
    void aStoreOutageOfThirtySecondsMidTrainingCostsNothing() throws Exception {
        ensureWorker();
        RetrainWorkflow run = run("run-store-outage");
        awaitTraining(WorkflowIds.retrain("crash", "run-store-outage"));
        long t0 = System.nanoTime();
        servers.stopMinio();
        Thread.sleep(30_000);
        servers.startMinio(); // same data directory: nothing written before the outage is lost
        RunState state = WorkflowStub.fromTyped(run).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        JsonNode trial = ledgerTrial("run-store-outage");
        boolean identical = state.metrics().equals(reference().metrics())
                && trial.path("model").path("sha256").asText().equals(ledgerTrial("run-reference").path("model").path("sha256").asText());
        System.out.printf("store outage: runs tried 1, completed 1, identical %d; trial attempts %d; outage start -> run done %.1f s%n",
                identical ? 1 : 0, trial.path("attempt").asInt(), (System.nanoTime() - t0) / 1e9);
        assertEquals(reference().metrics(), state.metrics());
        assertTrue(identical, "bit-identical model after the outage");
    }

    @Test
    void aWorkerKilledMidEpochCostsNothing() throws Exception {
        workers.forEach(Process::destroyForcibly);
        Process first = worker("worker-kill-1");
        RetrainWorkflow interrupted = run("run-killed");
        String workflowId = WorkflowIds.retrain("crash", "run-killed");
        JsonNode beat = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            beat = trialHeartbeat(workflowId).orElse(null);
            // The SDK sends the first heartbeat at once and throttles the rest (to 0.8 × the 30 s timeout), so
            // the first committed checkpoint is the one the server knows when we kill.
            if (beat != null && beat.path("epoch").asInt() >= 1 && beat.hasNonNull("checkpoint")) {
                break;
            }
            Thread.sleep(100);
        }
        assertNotNull(beat, "the trial never heartbeat a checkpoint");
        int epochAtKill = beat.path("epoch").asInt();
        assertTrue(epochAtKill >= 1 && epochAtKill < 40, "killed mid-training: " + beat);
        long killedAt = System.nanoTime();
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no drain
        first.waitFor(10, TimeUnit.SECONDS);
        worker("worker-kill-2");

        RunState state = WorkflowStub.fromTyped(interrupted).getResult(RunState.class);
        double recovered = (System.nanoTime() - killedAt) / 1e9;
        assertEquals(RunStatus.SUCCEEDED, state.status(), () -> String.valueOf(state.reasons()));
        JsonNode trial = ledgerTrial("run-killed");
        assertEquals(2, trial.path("attempt").asInt(), "the trial's second attempt finished it: " + trial);
        int resumedFrom = trial.path("resumedFromEpoch").asInt();
        assertTrue(resumedFrom >= epochAtKill && resumedFrom > 0,
                "resumed from its last checkpoint (epoch " + resumedFrom + "), not from epoch 0; killed after epoch " + epochAtKill);
        assertEquals(40, trial.path("epochs").asInt());

        // The same spec, data and seed, never interrupted.
        RunState reference = reference();
        JsonNode uninterrupted = ledgerTrial("run-reference");
        boolean identical = state.metrics().equals(reference.metrics())
                && trial.path("model").path("sha256").asText().equals(uninterrupted.path("model").path("sha256").asText())
                && trial.path("validationMetrics").equals(uninterrupted.path("validationMetrics"));
        System.out.printf("worker crash: runs tried 1, completed %d, identical to the uninterrupted run %d; killed after epoch %d,"
                        + " resumed from epoch %d, kill -> run done %.1f s%n", state.status() == RunStatus.SUCCEEDED ? 1 : 0,
                identical ? 1 : 0, epochAtKill, resumedFrom, recovered);
        assertEquals(reference.metrics(), state.metrics(), "test-set metrics equal the uninterrupted run's");
        assertEquals(uninterrupted.path("model").path("sha256").asText(), trial.path("model").path("sha256").asText(),
                "bit-identical weights");

        // Nothing half-written: every committed checkpoint names weight objects that exist.
        for (String key : store.list("runs/run-killed/trials/")) {
            if (key.matches(".*/checkpoints/epoch-\\d+\\.json")) {
                JsonNode checkpoint = JSON.readTree(store.getString(key));
                assertTrue(store.exists(checkpoint.path("latestParameters").asText()), key);
                if (checkpoint.hasNonNull("bestParameters")) {
                    assertTrue(store.exists(checkpoint.path("bestParameters").asText()), key);
                }
            }
        }
    }

    /** A small search; no warm start, so every run of the pipeline searches the same way as the first. */
    static PipelineSpec searchSpec() {
        return SpecParser.parse("""
                name: phases
                task: classification
                target: diagnosis
                data: {uri: %s}
                seed: 5
                search: {trials: 3, parallelism: 1, pruning: {rule: none}, warmStart: false}
                models:
                  - type: xgboost
                    params: {numRounds: 60, earlyStoppingRounds: 10}
                    space:
                      maxDepth: {low: 2, high: 6}
                gates: {min: {accuracy: 0.5}}
                """.formatted(dataUri));
    }

    static RetrainWorkflow start(PipelineSpec spec, String runId) {
        RetrainWorkflow run = client.newWorkflowStub(RetrainWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.retrain(spec.name(), runId)).setTaskQueue(TaskQueues.CONTROL)
                .setTypedSearchAttributes(SearchAttributes.starting(dev.trainlayer.workflows.artifact.Projects.DEFAULT, spec.name(), spec.modelName()))
                .build());
        WorkflowClient.start(run::run, new RetrainInput(runId, spec, "crash-test"));
        return run;
    }

    /**
     * A run's objects, with attempt numbers folded (a retried trial writes under its own attempt-N by design):
     * a crash that left an orphan — an object no uninterrupted run writes — shows as a key the reference lacks.
     */
    static java.util.Set<String> objectsOf(String runId) {
        String prefix = "runs/" + runId + "/";
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (String key : store.list(prefix)) {
            keys.add(key.substring(prefix.length()).replaceAll("/attempt-\\d+/", "/attempt-*/"));
        }
        return keys;
    }

    @Test
    void aWorkerKilledInAnyPhaseCostsNothing() throws Exception {
        workers.forEach(Process::destroyForcibly);
        worker("worker-phases-0");
        RunState uninterrupted = WorkflowStub.fromTyped(start(searchSpec(), "phases-reference")).getResult(RunState.class);
        assertEquals(RunStatus.SUCCEEDED, uninterrupted.status(), () -> String.valueOf(uninterrupted.reasons()));
        java.util.Set<String> referenceObjects = objectsOf("phases-reference");
        List<String> report = new ArrayList<>();
        int completed = 0;
        int identical = 0;
        int clean = 0;
        List<dev.trainlayer.workflows.workflow.Phase> phases = List.of(dev.trainlayer.workflows.workflow.Phase.SNAPSHOT,
                dev.trainlayer.workflows.workflow.Phase.FEATURES, dev.trainlayer.workflows.workflow.Phase.TRAINING,
                dev.trainlayer.workflows.workflow.Phase.EVALUATE, dev.trainlayer.workflows.workflow.Phase.REGISTER);
        for (var phase : phases) {
            String runId = "phases-" + phase.name().toLowerCase(java.util.Locale.ROOT);
            RetrainWorkflow run = start(searchSpec(), runId);
            // Ask the run where it is (a query the worker answers) until it enters the phase, then kill the worker.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            dev.trainlayer.workflows.workflow.Phase seen = null;
            while (System.nanoTime() < deadline) {
                try {
                    seen = run.status().phase();
                } catch (RuntimeException e) {
                    seen = null; // not started yet
                }
                if (seen != null && seen.ordinal() >= phase.ordinal()) {
                    break;
                }
                Thread.sleep(10);
            }
            long killedAt = System.nanoTime();
            workers.forEach(Process::destroyForcibly);
            for (Process p : workers) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
            worker("worker-" + runId);
            RunState state = WorkflowStub.fromTyped(run).getResult(RunState.class);
            boolean ok = state.status() == RunStatus.SUCCEEDED;
            boolean same = ok && state.metrics().equals(uninterrupted.metrics());
            java.util.Set<String> objects = objectsOf(runId);
            boolean tidy = objects.equals(referenceObjects);
            completed += ok ? 1 : 0;
            identical += same ? 1 : 0;
            clean += tidy ? 1 : 0;
            java.util.Set<String> extra = new java.util.TreeSet<>(objects);
            extra.removeAll(referenceObjects);
            java.util.Set<String> missing = new java.util.TreeSet<>(referenceObjects);
            missing.removeAll(objects);
            report.add(String.format(java.util.Locale.ROOT, "%s (seen %s): %s, %s, %s, kill -> done %.1f s", phase, seen,
                    state.status(), same ? "identical" : "DIFFERENT " + state.metrics(),
                    tidy ? objects.size() + " objects as uninterrupted" : "objects differ: extra " + extra + " missing " + missing,
                    (System.nanoTime() - killedAt) / 1e9));
        }
        // One registered version per run: a register activity retried after the kill did not register twice.
        List<String> registered = new ArrayList<>();
        for (var v : dev.trainlayer.workflows.client.RegistryClient.state(client, "phases").orElseThrow().versions()) {
            registered.add(v.runId());
        }
        System.out.printf("worker killed per phase: runs tried %d, completed %d, identical %d, no orphaned objects %d%n  %s%n",
                phases.size(), completed, identical, clean, String.join("\n  ", report));
        assertEquals(phases.size(), completed, report::toString);
        assertEquals(phases.size(), identical, report::toString);
        assertEquals(phases.size(), clean, report::toString);
        assertEquals(phases.size() + 1, registered.size(), "versions by run: " + registered);
        assertEquals(registered.size(), new java.util.HashSet<>(registered).size(), "versions by run: " + registered);
    }
}
