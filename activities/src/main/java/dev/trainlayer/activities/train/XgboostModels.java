package dev.trainlayer.activities.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Json;
import dev.trainlayer.workflows.FailureTypes;
import java.io.IOException;

/** Edits of saved XGBoost models (the JSON format of XGBoost 2 and 3, {@code gbtree} boosters). */
final class XgboostModels {
    private XgboostModels() {}

    /**
     * The model with only its first {@code iterations} boosting iterations — what predicting with
     * {@code iteration_range = [0, iterations)} uses. XGBoost4J has no {@code slice}; the JSON model lists its
     * trees with {@code iteration_indptr} marking where each iteration's trees (one per class, or per
     * parallel tree) begin, so cutting the lists there gives the same booster, trained that far.
     */
    static byte[] truncate(byte[] modelJson, int iterations) {
        ObjectNode root;
        try {
            root = (ObjectNode) Json.MAPPER.readTree(modelJson);
        } catch (IOException | ClassCastException e) {
            throw incompatible("it is not a JSON model");
        }
        JsonNode booster = root.path("learner").path("gradient_booster");
        if (!"gbtree".equals(booster.path("name").asText())) {
            throw incompatible("only gbtree boosters can be continued, this one is '" + booster.path("name").asText() + "'");
        }
        JsonNode model = booster.path("model");
        if (!(model instanceof ObjectNode m) || !(m.get("trees") instanceof ArrayNode trees)
                || !(m.get("tree_info") instanceof ArrayNode info) || !(m.get("iteration_indptr") instanceof ArrayNode indptr)
                || !(m.get("gbtree_model_param") instanceof ObjectNode param)) {
            throw incompatible("its JSON has no trees / tree_info / iteration_indptr / gbtree_model_param");
        }
        int total = indptr.size() - 1;
        if (iterations < 1 || iterations > total) {
            throw incompatible("it has " + total + " iterations, cannot keep " + iterations);
        }
        int keep = indptr.get(iterations).asInt();
        while (trees.size() > keep) {
            trees.remove(trees.size() - 1);
        }
        while (info.size() > keep) {
            info.remove(info.size() - 1);
        }
        while (indptr.size() > iterations + 1) {
            indptr.remove(indptr.size() - 1);
        }
        // Numbers are stored as strings in this section of the format.
        param.put("num_trees", Integer.toString(keep));
        if (root.path("learner").path("attributes") instanceof ObjectNode attributes) {
            attributes.remove("best_iteration");
            attributes.remove("best_score");
        }
        // Compact: XGBoost's JSON reader does not take every layout a JSON writer may produce (it refuses "{ }").
        return Json.line(root).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static RuntimeException incompatible(String why) {
        return Failures.nonRetryable(FailureTypes.INCOMPATIBLE_MODEL, "cannot continue training the XGBoost model: " + why);
    }
}
