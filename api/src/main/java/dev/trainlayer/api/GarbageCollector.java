package dev.trainlayer.api;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.artifact.Projects;
import dev.trainlayer.workflows.registry.AuditEntry;
import dev.trainlayer.workflows.registry.ModelVersion;
import dev.trainlayer.workflows.registry.RegistryState;
import dev.trainlayer.workflows.registry.RollbackRequest;
import dev.trainlayer.workflows.spec.PipelineSpec;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retention for one project ({@code POST /api/v1/admin/gc}). Each model keeps its newest {@code retention.keepVersions}
 * versions (the spec of its newest version says; else {@code trainlayer.retention.keep-versions}), every version that was
 * ever champion, and the versions those continued from; a kept version keeps what reproducing it needs: its run's spec,
 * ledger and report, its dataset snapshot, its winning trial's model and its encoded features. What goes:
 * <ul>
 *   <li>{@code checkpoints}: the per-epoch checkpoints of finished trials (the model each trial kept is elsewhere);</li>
 *   <li>{@code abandonedAttempts}: every attempt of a trial but its last (a crashed or retried worker's);</li>
 *   <li>{@code trialModels}: the models of trials that did not become a kept version (losers, pruned, refit sources);</li>
 *   <li>{@code features}: the encoded matrices of runs that made no kept version;</li>
 *   <li>{@code datasets}: dataset snapshots no kept version was trained on.</li>
 * </ul>
 * Never touched: a run still running (nor its pipeline's snapshots), run records (index, spec, report, ledger, live curves),
 * registered versions' own files (the registry is append-only: a version that is not kept stays servable and
 * listed, it just cannot be reproduced any more), uploads, feedback and predictions.
 */
@Singleton
public class GarbageCollector {
    private static final Pattern ATTEMPT = Pattern.compile("trials/(.+)/attempt-(\\d+)/(.*)");
    /** A trial's model, and the optimized form of the run's winner (copied into its version when registered). */
    private static final Pattern TRIAL_MODEL = Pattern.compile("trials/(.+?)/(?:model|optimized)/.*");
    private static final Pattern SNAPSHOT = Pattern.compile("([0-9a-f]{64})/[^/]+");
    private static final Set<String> RUN_RECORDS = Set.of("run.json", "spec.json", "report.json", "ledger.jsonl");
    static final List<String> KINDS = List.of("checkpoints", "abandonedAttempts", "trialModels", "features", "datasets");

    private final ObjectStore store;
    private final RunService runs;
    private final ModelsController models;
    private final int defaultKeep;

    public GarbageCollector(ObjectStore store, RunService runs, ModelsController models,
                            @io.micronaut.context.annotation.Value("${trainlayer.retention.keep-versions:10}") int defaultKeep) {
        this.store = store;
        this.runs = runs;
        this.models = models;
        this.defaultKeep = Math.max(1, defaultKeep);
    }

    /** What one model keeps, and why. */
    record KeptModel(String model, int keepVersions, List<Integer> versions, List<Integer> notKept) {}

    /** One object to delete, of a kind. */
    record Doomed(String key, long size, String kind) {}

    /** A finished run of the project, with its objects. */
    private record Finished(RunRecord record, List<ObjectStore.Listed> objects, boolean reported) {}

    /**
     * Collects the project's garbage; with {@code dryRun} only says what it would delete. Runs are judged first and the
     * registries read last, so a version registered while the runs were being looked at is still kept.
     */
    public Map<String, Object> collect(String project, boolean dryRun) {
        List<Map<String, Object>> skipped = new ArrayList<>();
        Set<String> busyData = new HashSet<>();
        Set<String> datasets = new TreeSet<>();
        Map<String, List<ObjectStore.Listed>> byRun = new TreeMap<>();
        for (ObjectStore.Listed o : store.listDetailed("runs/")) {
            String rest = o.key().substring("runs/".length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                byRun.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(o);
            }
        }
        List<Finished> finished = new ArrayList<>();
        int running = 0;
        for (Map.Entry<String, List<ObjectStore.Listed>> e : byRun.entrySet()) {
            RunRecord record = runs.find(project, e.getKey()).orElse(null);
            if (record == null || record.project() == null) {
                continue;   // another project's run, no index entry, or a run from before projects: not judged here
            }
            String dataset = Projects.qualify(record.project(), record.pipeline());
            datasets.add(dataset);
            // Asked even when it has a report: a reset run runs again over its old one.
            if (running(record)) {
                running++;
                busyData.add(dataset);
                skipped.add(Map.of("runId", record.runId(), "reason", "running"));
                continue;
            }
            finished.add(new Finished(record, e.getValue(), e.getValue().stream().anyMatch(o -> o.key().equals(Keys.report(record.runId())))));
        }

        Map<String, String> keptRuns = new HashMap<>();          // runId -> the trial that became its kept version
        Set<String> keptData = new HashSet<>();                  // dataset/sha256
        List<KeptModel> kept = new ArrayList<>();
        for (String model : modelNames(project)) {
            RegistryState state;
            try {
                state = models.state(project, model);
            } catch (ApiException e) {
                continue;   // listed in the store but no registry: nothing registered to keep
            }
            kept.add(keep(model, state, keptRuns, keptData));
        }
        keptData.forEach(d -> datasets.add(d.substring(0, d.lastIndexOf('/'))));

        List<Doomed> doomed = new ArrayList<>();
        for (Finished f : finished) {
            String runId = f.record().runId();
            doomed.addAll(runGarbage(runId, f.objects(), keptRuns.containsKey(runId), keptRuns.get(runId), f.reported()));
        }
        for (String dataset : datasets) {
            if (busyData.contains(dataset)) {
                skipped.add(Map.of("dataset", dataset, "reason", "a run of this pipeline is running"));
                continue;
            }
            String prefix = "datasets/" + dataset + "/";
            for (ObjectStore.Listed o : store.listDetailed(prefix)) {
                Matcher m = SNAPSHOT.matcher(o.key().substring(prefix.length()));
                // Only a snapshot's own files ({sha256}/name): a deeper key is another dataset's under this name.
                if (m.matches() && !keptData.contains(dataset + "/" + m.group(1))) {
                    doomed.add(new Doomed(o.key(), o.size(), "datasets"));
                }
            }
        }

        if (!dryRun && !doomed.isEmpty()) {
            store.deleteAll(doomed.stream().map(Doomed::key).toList());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", project);
        out.put("dryRun", dryRun);
        out.put("at", Instant.now().toString());
        out.put(dryRun ? "wouldFreeBytes" : "freedBytes", doomed.stream().mapToLong(Doomed::size).sum());
        out.put(dryRun ? "wouldDeleteObjects" : "deletedObjects", doomed.size());
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (String kind : KINDS) {
            List<Doomed> of = doomed.stream().filter(d -> d.kind().equals(kind)).toList();
            byKind.put(kind, Map.of("objects", of.size(), "bytes", of.stream().mapToLong(Doomed::size).sum()));
        }
        out.put("byKind", byKind);
        out.put("runsExamined", finished.size() + running);
        out.put("models", kept);
        out.put("keptDatasets", new TreeSet<>(keptData));
        out.put("skipped", skipped);
        out.put("objects", doomed.stream().limit(1000).map(d -> Map.of("key", d.key(), "bytes", d.size(), "kind", d.kind())).toList());
        return out;
    }

    /** The model's kept versions; adds their runs and snapshots to what must stay. */
    private KeptModel keep(String model, RegistryState state, Map<String, String> keptRuns, Set<String> keptData) {
        List<ModelVersion> versions = new ArrayList<>(state.versions());
        versions.sort(java.util.Comparator.comparingInt(ModelVersion::version));
        int keepVersions = versions.isEmpty() ? defaultKeep : keepVersions(versions.get(versions.size() - 1));
        Set<Integer> keep = new TreeSet<>();
        for (int i = Math.max(0, versions.size() - keepVersions); i < versions.size(); i++) {
            keep.add(versions.get(i).version());
        }
        if (state.champion() != null) {
            keep.add(state.champion());
        }
        keep.addAll(state.championHistory());
        for (AuditEntry a : state.audit()) {
            if (a.version() != null && ("PROMOTE".equals(a.action()) || "ROLLBACK".equals(a.action())
                    || RollbackRequest.AUTO.equals(a.action()))) {
                keep.add(a.version());
            }
        }
        // What a kept version continued training from is part of its lineage.
        List<Integer> open = new ArrayList<>(keep);
        while (!open.isEmpty()) {
            int n = open.remove(open.size() - 1);
            state.version(n).map(ModelVersion::lineage).map(l -> l.warmStartedFrom()).filter(keep::add).ifPresent(open::add);
        }
        List<Integer> notKept = new ArrayList<>();
        for (ModelVersion v : versions) {
            if (!keep.contains(v.version())) {
                notKept.add(v.version());
                continue;
            }
            if (v.lineage() != null) {
                keptRuns.put(v.runId(), v.lineage().trialId());
                if (v.lineage().pipeline() != null && v.lineage().datasetSha256() != null) {
                    keptData.add(v.lineage().pipeline() + "/" + v.lineage().datasetSha256());
                }
            } else {
                keptRuns.put(v.runId(), null);
            }
        }
        return new KeptModel(model, keepVersions, List.copyOf(keep), notKept);
    }

    /** The newest version's spec's {@code retention.keepVersions}, else the server's default. */
    private int keepVersions(ModelVersion newest) {
        return PipelineSpecs.recorded(store, newest.lineage()).map(PipelineSpec::retention).map(r -> r.keepVersions())
                .orElse(defaultKeep);
    }

    /**
     * What a finished run no longer needs; {@code winner} is the trial whose model a kept version is (kept runs only). A run
     * that never {@code reported} (failed or cancelled) keeps its trial models and features: a reset continues it from them.
     */
    static List<Doomed> runGarbage(String runId, List<ObjectStore.Listed> objects, boolean keptRun, String winner, boolean reported) {
        String prefix = "runs/" + runId + "/";
        Map<String, Integer> lastAttempt = new HashMap<>();
        for (ObjectStore.Listed o : objects) {
            Matcher m = ATTEMPT.matcher(o.key().substring(prefix.length()));
            if (m.matches()) {
                lastAttempt.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
            }
        }
        List<Doomed> out = new ArrayList<>();
        for (ObjectStore.Listed o : objects) {
            String rel = o.key().substring(prefix.length());
            if (RUN_RECORDS.contains(rel) || rel.endsWith("/live.json")) {
                continue;
            }
            Matcher attempt = ATTEMPT.matcher(rel);
            if (attempt.matches()) {
                if (Integer.parseInt(attempt.group(2)) < lastAttempt.get(attempt.group(1))) {
                    out.add(new Doomed(o.key(), o.size(), "abandonedAttempts"));
                } else if (attempt.group(3).startsWith("checkpoints/")) {
                    out.add(new Doomed(o.key(), o.size(), "checkpoints"));
                }
                continue;
            }
            Matcher model = TRIAL_MODEL.matcher(rel);
            if (model.matches()) {
                if (reported && (!keptRun || !model.group(1).equals(winner))) {
                    out.add(new Doomed(o.key(), o.size(), "trialModels"));
                }
                continue;
            }
            if (rel.startsWith("features/") && !keptRun && reported) {
                out.add(new Doomed(o.key(), o.size(), "features"));
            }
        }
        return out;
    }

    /** Whether Temporal still runs it (a run it no longer knows is not running). */
    private boolean running(RunRecord record) {
        try {
            return runs.describe(record.workflowId()) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (ApiException e) {
            if (e.status() == io.micronaut.http.HttpStatus.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** The project's models: those with a registry mirror under {@code models/{project}/}. */
    private List<String> modelNames(String project) {
        String prefix = "models/" + project + "/";
        List<String> names = new ArrayList<>();
        for (String key : store.list(prefix)) {
            String rest = key.substring(prefix.length());
            if (rest.endsWith("/registry.json") && rest.indexOf('/') == rest.length() - "/registry.json".length()) {
                names.add(rest.substring(0, rest.indexOf('/')));
            }
        }
        return names;
    }
}
