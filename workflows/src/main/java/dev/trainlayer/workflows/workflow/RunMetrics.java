package dev.trainlayer.workflows.workflow;

import com.uber.m3.tally.Scope;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * What runs record for Prometheus, through the workflow's metrics scope: it emits only when the code runs for the
 * first time, never while a worker replays history, so a restarted worker counts nothing twice. Names follow
 * Prometheus' conventions once exported ({@code trainlayer_runs_started_total}, {@code trainlayer_run_duration_seconds_*}).
 * Labels stay of bounded cardinality: project, pipeline, status, gate; never run ids.
 */
final class RunMetrics {
    static final String RUNS_STARTED = "trainlayer_runs_started";
    static final String RUNS_FINISHED = "trainlayer_runs_finished";
    static final String RUN_DURATION = "trainlayer_run_duration";
    static final String GATE_REJECTIONS = "trainlayer_gate_rejections";

    private RunMetrics() {}

    private static Scope scope(String project, String pipeline) {
        return Workflow.getMetricsScope().tagged(Map.of("project", project == null ? dev.trainlayer.workflows.artifact.Projects.DEFAULT : project,
                "pipeline", pipeline == null ? "" : pipeline));
    }

    /** @param trigger api, schedule or monitor */
    static void started(String project, String pipeline, String trigger) {
        scope(project, pipeline).tagged(Map.of("trigger", trigger)).counter(RUNS_STARTED).inc(1);
    }

    static void finished(String project, String pipeline, String status, long startedAtMillis) {
        Scope s = scope(project, pipeline).tagged(Map.of("status", status));
        s.counter(RUNS_FINISHED).inc(1);
        s.timer(RUN_DURATION).record(com.uber.m3.util.Duration.ofMillis(Math.max(0, Workflow.currentTimeMillis() - startedAtMillis)));
    }

    static void gateRejected(String project, String pipeline, String gate) {
        scope(project, pipeline).tagged(Map.of("gate", gate)).counter(GATE_REJECTIONS).inc(1);
    }
}
