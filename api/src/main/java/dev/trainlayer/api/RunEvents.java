package dev.trainlayer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.store.ObjectNotFoundException;
import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.workflows.activity.EpochMetrics;
import dev.trainlayer.workflows.activity.TrialAlert;
import dev.trainlayer.workflows.activity.TrialLive;
import dev.trainlayer.workflows.artifact.Keys;
import dev.trainlayer.workflows.spec.PipelineSpec;
import dev.trainlayer.workflows.spec.SpecParser;
import dev.trainlayer.workflows.workflow.Phase;
import dev.trainlayer.workflows.workflow.RunEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's event stream: the workflows' event logs (phases, trials started and ended, alerts, the end), with
 * each running trial's progress from its live record in the store woven in.
 *
 * <p>Every event carries a cursor as its id: the position in the run's log and, for each trial still running
 * there, the last epoch and the alerts already sent. The log is append-only and each live record only grows,
 * so a client that reconnects with the last id it got ({@code Last-Event-ID}) gets exactly what came after it:
 * nothing lost, nothing twice (progress points are sent once each; a trial that resumed after a crash sends the
 * epochs past the last one sent).
 */
@Singleton
public class RunEvents {
    private final RunService runs;
    private final ObjectStore store;
    private final ObjectMapper json;

    public RunEvents(RunService runs, ObjectStore store, ObjectMapper json) {
        this.runs = runs;
        this.store = store;
        this.json = json;
    }

    /** One event as sent: {@code seq} is its position in the run's log (progress shares the last one's). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sent(String type, String runId, int seq, long at, String phase, String trialId, String status, Double objective,
                       String detail, Integer attempt, Integer epoch, Double value, Double best, Integer bestEpoch,
                       List<EpochMetrics> points, String event, String kind, String alertId) {
        static Sent of(String runId, int seq, RunEvent e) {
            return new Sent(e.type(), runId, seq, e.atMillis(), e.phase(), e.trialId(), e.status(), e.objective(), e.detail(),
                    null, null, null, null, null, null, e.type().equals(RunEvent.ALERT) ? e.status() : null, null, null);
        }
    }

    /** An event with the cursor that follows it: the SSE id. */
    public record Emitted(String id, Sent event) {}

    /** What one look at the run found: events after the cursor, the cursor after them, and whether the run has ended. */
    public record Batch(List<Emitted> events, Cursor cursor, boolean ended) {}

    /** Where a client is: the log position and, per running trial (and fold), the last epoch and alert kinds sent. */
    public record Cursor(int seq, Map<String, Seen> trials) {
        public static final Cursor START = new Cursor(0, Map.of());

        public record Seen(int epoch, String kinds) {}

        /** {@code 12;003-mlp=17,d;004-xgboost=5,}: trial ids are [A-Za-z0-9._/-], kinds are one letter each. */
        public String format() {
            StringBuilder out = new StringBuilder().append(seq);
            trials.forEach((id, seen) -> out.append(';').append(id).append('=').append(seen.epoch()).append(',').append(seen.kinds()));
            return out.toString();
        }

        public static Cursor parse(String text) {
            if (text == null || text.isBlank()) {
                return START;
            }
            if (text.length() > 4000) {
                throw ApiException.badRequest("Last-Event-ID", "is too long to be an id this stream sent");
            }
            String[] parts = text.trim().split(";");
            try {
                int seq = Integer.parseInt(parts[0]);
                Map<String, Seen> trials = new LinkedHashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    String part = parts[i];
                    int eq = part.lastIndexOf('=');
                    int comma = part.indexOf(',', eq);
                    String id = part.substring(0, eq);
                    if (!id.matches("[A-Za-z0-9._/-]{1,200}") || comma < 0) {
                        throw new IllegalArgumentException(part);
                    }
                    String kinds = part.substring(comma + 1);
                    if (!kinds.matches("[a-z]{0,8}")) {
                        throw new IllegalArgumentException(part);
                    }
                    trials.put(id, new Seen(Integer.parseInt(part.substring(eq + 1, comma)), kinds));
                }
                if (seq < 0) {
                    throw new IllegalArgumentException(text);
                }
                return new Cursor(seq, trials);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("Last-Event-ID", "'" + excerpt(text) + "' is not an id this stream sent; "
                        + "reconnect without it to start from the beginning");
            }
        }

        private static String excerpt(String text) {
            return text.length() > 60 ? text.substring(0, 60) + "…" : text;
        }
    }

    /** The run's log and whether it has ended, as the server sees it now; empty when no worker answered in time. */
    public record Log(List<RunEvent> events, boolean ended) {}

    /** The events after {@code cursor}. Reads the workflows' logs once and each running trial's live record. */
    public Batch poll(RunRecord run, int kfold, Cursor cursor) {
        Optional<Log> found = runs.eventLog(run);
        if (found.isEmpty()) {
            return new Batch(List.of(), cursor, false);
        }
        List<RunEvent> log = found.get().events();
        List<Emitted> out = new ArrayList<>();
        int seq = cursor.seq();
        Map<String, Cursor.Seen> trials = new LinkedHashMap<>(cursor.trials());
        boolean ended = false;
        for (; seq < log.size(); seq++) {
            RunEvent e = log.get(seq);
            switch (e.type()) {
                case RunEvent.TRIAL_STARTED -> {
                    for (String id : activityIds(e.trialId(), kfold)) {
                        trials.putIfAbsent(id, new Cursor.Seen(0, ""));
                    }
                }
                case RunEvent.TRIAL_FINISHED, RunEvent.TRIAL_PRUNED -> {
                    // Its last progress first, so a client sees the curve end before the trial does.
                    for (String id : List.copyOf(trials.keySet())) {
                        if (id.equals(e.trialId()) || id.startsWith(e.trialId() + "/fold-")) {
                            progress(run, id, seq, trials, out);
                            trials.remove(id);
                        }
                    }
                }
                case RunEvent.RUN_FINISHED -> {
                    for (String id : List.copyOf(trials.keySet())) {
                        progress(run, id, seq, trials, out);
                    }
                    trials.clear();
                    ended = true;
                }
                default -> { }
            }
            out.add(new Emitted(ordered(new Cursor(seq + 1, trials)).format(), Sent.of(run.runId(), seq, e)));
            if (ended) {
                seq++;
                break;
            }
        }
        if (!ended) {
            for (String id : List.copyOf(trials.keySet())) {
                progress(run, id, seq, trials, out);
            }
        }
        return new Batch(out, ordered(new Cursor(seq, trials)), ended || found.get().ended() && seq >= log.size());
    }

    /** Progress and alerts of one trial that the cursor has not had yet; advances {@code trials}. */
    private void progress(RunRecord run, String trialId, int seq, Map<String, Cursor.Seen> trials, List<Emitted> out) {
        TrialLive live = runs.live(run.runId(), trialId).orElse(null);
        if (live == null) {
            return;
        }
        Cursor.Seen seen = trials.get(trialId);
        List<EpochMetrics> points = live.curve().stream().filter(p -> p.epoch() > seen.epoch()).toList();
        if (!points.isEmpty()) {
            Cursor.Seen next = new Cursor.Seen(points.get(points.size() - 1).epoch(), seen.kinds());
            trials.put(trialId, next);
            out.add(new Emitted(ordered(new Cursor(seq, trials)).format(), new Sent(RunEvent.TRIAL_PROGRESS, run.runId(), seq,
                    live.updatedAtMillis(), null, trialId, null, null, null, live.attempt(), live.epoch(), live.value(), live.best(),
                    live.bestEpoch(), points, null, null, null)));
        }
        for (TrialAlert alert : live.alerts()) {
            String letter = alert.kind().substring(0, 1);
            Cursor.Seen now = trials.get(trialId);
            if (now.kinds().contains(letter)) {
                continue;
            }
            trials.put(trialId, new Cursor.Seen(now.epoch(), now.kinds() + letter));
            out.add(new Emitted(ordered(new Cursor(seq, trials)).format(), new Sent(RunEvent.ALERT, run.runId(), seq, alert.atMillis(),
                    null, trialId, null, null, alert.message(), live.attempt(), alert.epoch(), null, null, null, null, alert.event(),
                    alert.kind(), alert.id())));
        }
    }

    /** With k-fold, a searched trial trains as one activity per fold. */
    static List<String> activityIds(String trialId, int kfold) {
        if (kfold < 2 || trialId.endsWith("/final") || trialId.contains("/fold-")) {
            return List.of(trialId);
        }
        List<String> ids = new ArrayList<>();
        for (int f = 0; f < kfold; f++) {
            ids.add(trialId + "/fold-" + f);
        }
        return ids;
    }

    /** The k of the run's cross-validated search, 0 without one. */
    public int kfold(RunRecord run) {
        try {
            PipelineSpec spec = SpecParser.parse(new String(store.getBytes(store.bucket(), Keys.runSpec(run.runId())), StandardCharsets.UTF_8));
            return spec.search() == null || spec.search().kfold() == null ? 0 : spec.search().kfold();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static Cursor ordered(Cursor c) {
        return new Cursor(c.seq(), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(c.trials())));
    }

    static boolean isPhase(RunEvent e, Phase phase) {
        return RunEvent.PHASE.equals(e.type()) && phase.name().equals(e.phase());
    }
}
