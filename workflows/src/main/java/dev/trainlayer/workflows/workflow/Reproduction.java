package dev.trainlayer.workflows.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.workflows.activity.ModelArtifacts;
import dev.trainlayer.workflows.spec.ModelType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a reproducing run found ({@code POST /api/v1/models/{model}/versions/{n}/reproduce}): whether the model it trained
 * from version {@code ofVersion}'s provenance alone is the version's, bit for bit (the model files' sha256 and every test
 * metric), and what differed: the result (model, features, metrics) and what could explain it (data, library versions,
 * environment). {@code differences} can name an environment change even when the result is identical: it did not
 * matter, and that is worth knowing too.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Reproduction(int ofVersion, boolean identical, List<Difference> differences, String modelSha256, String note) {

    public Reproduction {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }

    /** One field that differs: its value in the version's record and in the reproduction (null: absent there). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Difference(String field, Object version, Object reproduced) {}

    /**
     * How to rebuild a version, as the API read it from the version's record, its run's spec and its run's ledger: the
     * stored dataset snapshot, the winning trial's id, family, parameters and seed, and what the version recorded to compare
     * against. {@code refitSteps}: the winner was a refit on the training and validation rows (see {@code TrialInput});
     * {@code warmStart}: the version continued training {@code warmStartVersion} (an incremental run), whose model and
     * feature pipeline are needed again. {@code note}: how the API adjusted the recorded trial (e.g. a trial the search's
     * time budget stopped is trained for the epochs it had), shown with the result.
     */
    public record Request(
            int ofVersion,
            String pipeline,
            String datasetSha256,
            String trialId,
            String candidate,
            ModelType type,
            Map<String, Object> params,
            long seed,
            Integer refitSteps,
            ModelArtifacts warmStart,
            Integer warmStartVersion,
            Expected expected,
            String note) {}

    /** What the version recorded: its model's and feature pipeline's sha256, its test metrics and what built it. */
    public record Expected(String modelSha256, String featuresSha256, Map<String, Double> metrics, Map<String, String> environment) {}

    /**
     * Compares a reproduction with the version. Identical means the same model files (sha256) and the same value of every
     * metric the version recorded; the data, the feature pipeline and the environment are listed when they differ.
     */
    public static Reproduction compare(Request request, String datasetSha256, String featuresSha256, String modelSha256,
                                       Map<String, Double> metrics, Map<String, String> environment) {
        Expected expected = request.expected();
        List<Difference> out = new ArrayList<>();
        if (!Objects.equals(request.datasetSha256(), datasetSha256)) {
            out.add(new Difference("data.sha256", request.datasetSha256(), datasetSha256));
        }
        if (expected.featuresSha256() != null && !Objects.equals(expected.featuresSha256(), featuresSha256)) {
            out.add(new Difference("features.sha256", expected.featuresSha256(), featuresSha256));
        }
        boolean sameModel = expected.modelSha256() != null && expected.modelSha256().equals(modelSha256);
        if (!sameModel) {
            out.add(new Difference("model.sha256", expected.modelSha256(), modelSha256));
        }
        boolean sameMetrics = true;
        Map<String, Double> recorded = expected.metrics() == null ? Map.of() : expected.metrics();
        for (String name : new TreeSet<>(recorded.keySet())) {
            Double was = recorded.get(name);
            Double now = metrics == null ? null : metrics.get(name);
            if (!sameValue(was, now)) {
                sameMetrics = false;
                out.add(new Difference("metrics." + name, was, now));
            }
        }
        Map<String, String> before = expected.environment() == null ? Map.of() : expected.environment();
        Map<String, String> after = environment == null ? Map.of() : environment;
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            if (!Objects.equals(before.get(key), after.get(key))) {
                out.add(new Difference("environment." + key, before.get(key), after.get(key)));
            }
        }
        return new Reproduction(request.ofVersion(), sameModel && sameMetrics, out, modelSha256, request.note());
    }

    /** Bit for bit: NaN equals NaN, 0.0 and -0.0 differ (as the stored JSON would). */
    private static boolean sameValue(Double a, Double b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
}
