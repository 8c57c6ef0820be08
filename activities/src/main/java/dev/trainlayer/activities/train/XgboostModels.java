package dev.trainlayer.activities.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.activities.Json;
import dev.trainlayer.workflows.FailureTypes;
import java.io.IOException;
import java.util.List;

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
            root = (ObjectNode) EXACT.readTree(modelJson);
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
        return write(root);
    }

    /** What {@link #prune} did: splits before and removed, trees kept, and the encoded features no split uses any more. */
    record Pruned(byte[] modelJson, int trees, int splitsBefore, int splitsRemoved, java.util.SortedSet<Integer> unusedFeatures,
                  int features) {}

    /**
     * Reads the model exactly: every number keeps its text (a float read into a double and written back could round to
     * a neighbouring float32).
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper EXACT = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final int NO_PARENT = Integer.MAX_VALUE;

    /**
     * The model as compact JSON, its decimal numbers written as floats: a {@link java.math.BigDecimal} prints
     * {@code 0E0} as {@code 0} and {@code 1E0} as {@code 1}, which XGBoost's reader takes for integers and refuses where
     * it wants a float.
     */
    private static byte[] write(JsonNode root) {
        return Json.line(floatsAsText(root)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static JsonNode floatsAsText(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.DecimalNode d) {
            String text = d.decimalValue().toString();
            boolean looksFloat = text.indexOf('.') >= 0 || text.indexOf('E') >= 0 || text.indexOf('e') >= 0;
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.rawValueNode(
                    new com.fasterxml.jackson.databind.util.RawValue(looksFloat ? text : text + ".0"));
        }
        if (node instanceof ObjectNode o) {
            var names = new java.util.ArrayList<String>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, floatsAsText(o.get(name)));
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, floatsAsText(a.get(i)));
            }
        }
        return node;
    }

    /**
     * Removes the {@code share} of the trees' splits that gain least, from the leaves up, as XGBoost's own pruner does
     * with {@code gamma} but to a target count: the split with the smallest loss change whose two children are leaves
     * becomes a leaf, and its parent may then be next. The new leaf predicts what the node would have as a leaf, as
     * XGBoost's pruner sets it: the node's recorded weight ({@code base_weights}, kept unscaled for inner nodes) times the
     * tree's learning rate. The learning rate is read off the tree itself: at a split whose children are leaves, the
     * children's values weighted by their hessian sums plus {@code lambda} add up to the rate times the parent's weight
     * weighted the same way (so boosted trees, a forest's averaged trees and a continued model's later rounds each get
     * their own). Splits on categories and vector leaves are left alone.
     *
     * @param lambda the L2 regularization the trees were trained with (XGBoost's {@code lambda})
     */
    static Pruned prune(byte[] modelJson, double share, double lambda) {
        ObjectNode root;
        try {
            root = (ObjectNode) EXACT.readTree(modelJson);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("the model is not XGBoost JSON");
        }
        JsonNode model = root.path("learner").path("gradient_booster").path("model");
        if (!(model.get("trees") instanceof ArrayNode trees)) {
            throw new IllegalArgumentException("the model has no trees to prune");
        }
        int features = root.path("learner").path("learner_model_param").path("num_feature").asInt(0);
        List<Tree> all = new java.util.ArrayList<>();
        int splits = 0;
        for (JsonNode t : trees) {
            Tree tree = new Tree((ObjectNode) t, lambda);
            all.add(tree);
            splits += tree.splits();
        }
        int target = (int) Math.floor(share * splits);
        java.util.PriorityQueue<long[]> queue = new java.util.PriorityQueue<>((a, b) -> {
            int byGain = Float.compare(Float.intBitsToFloat((int) a[0]), Float.intBitsToFloat((int) b[0]));
            return byGain != 0 ? byGain : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]);
        });
        for (int k = 0; k < all.size(); k++) {
            Tree tree = all.get(k);
            for (int n = 0; n < tree.size; n++) {
                if (tree.prunable(n)) {
                    queue.add(new long[] {Float.floatToIntBits(tree.gain[n]), k, n});
                }
            }
        }
        int removed = 0;
        while (removed < target && !queue.isEmpty()) {
            long[] next = queue.poll();
            Tree tree = all.get((int) next[1]);
            int node = (int) next[2];
            tree.collapse(node);
            removed++;
            int parent = tree.parent[node];
            if (parent != NO_PARENT && tree.prunable(parent)) {
                queue.add(new long[] {Float.floatToIntBits(tree.gain[parent]), next[1], parent});
            }
        }
        java.util.SortedSet<Integer> unused = new java.util.TreeSet<>();
        for (int f = 0; f < features; f++) {
            unused.add(f);
        }
        for (Tree tree : all) {
            tree.write();
            for (int n = 0; n < tree.size; n++) {
                if (!tree.deleted[n] && tree.left[n] != -1) {
                    unused.remove(tree.feature[n]);
                }
            }
        }
        return new Pruned(write(root), all.size(), splits, removed, unused, features);
    }

    /** One tree of the JSON model, its node arrays read out, and written back without the nodes pruning removed. */
    private static final class Tree {
        private static final List<String> NODE_ARRAYS = List.of("base_weights", "default_left", "left_children", "loss_changes",
                "parents", "right_children", "split_conditions", "split_indices", "split_type", "sum_hessian");
        final ObjectNode json;
        final int size;
        final int[] left;
        final int[] right;
        final int[] parent;
        final int[] feature;
        final float[] gain;
        final boolean[] deleted;
        final boolean frozen;
        final float[] weight;
        final double scale;
        boolean changed;

        Tree(ObjectNode json, double lambda) {
            this.json = json;
            this.left = ints("left_children");
            this.size = left.length;
            this.right = ints("right_children");
            this.parent = ints("parents");
            this.feature = ints("split_indices");
            this.gain = floats("loss_changes");
            this.weight = floats("base_weights");
            this.deleted = new boolean[size];
            for (String name : NODE_ARRAYS) {
                if (json.path(name).size() != size) {
                    throw new IllegalArgumentException("tree " + json.path("id") + ": '" + name + "' has " + json.path(name).size()
                            + " entries for " + size + " nodes");
                }
            }
            this.scale = learningRate(lambda);
            // Categorical splits and vector leaves have more to them than a weight, and a tree whose learning rate cannot
            // be read has no safe leaf value: such trees are kept as they are.
            this.frozen = json.path("categories_nodes").size() > 0 || json.path("tree_param").path("size_leaf_vector").asInt(1) > 1
                    || json.path("tree_param").path("num_deleted").asInt(0) != 0 || Double.isNaN(scale);
        }

        /** The median, over splits whose children are leaves, of what their leaf values say the learning rate was. */
        private double learningRate(double lambda) {
            float[] hessian = floats("sum_hessian");
            float[] leaf = floats("split_conditions");
            List<Double> rates = new java.util.ArrayList<>();
            for (int n = 0; n < size; n++) {
                int l = left[n];
                int r = right[n];
                if (l == -1 || left[l] != -1 || left[r] != -1) {
                    continue;
                }
                double denominator = weight[n] * (hessian[n] + lambda);
                if (Math.abs(denominator) > 1e-9) {
                    rates.add((leaf[l] * (hessian[l] + lambda) + leaf[r] * (hessian[r] + lambda)) / denominator);
                }
            }
            if (rates.isEmpty()) {
                return Double.NaN;
            }
            rates.sort(null);
            double median = rates.get(rates.size() / 2);
            // The identity holds exactly for trees grown with one lambda and no alpha or max_delta_step; a tree whose
            // splits disagree was not, and has no leaf value this can trust.
            if (rates.get(rates.size() - 1) - rates.get(0) > 0.01 * Math.abs(median)) {
                return Double.NaN;
            }
            return median;
        }

        int splits() {
            int count = 0;
            for (int n = 0; n < size; n++) {
                if (left[n] != -1) {
                    count++;
                }
            }
            return frozen ? 0 : count;
        }

        boolean prunable(int n) {
            return !frozen && !deleted[n] && left[n] != -1 && left[left[n]] == -1 && left[right[n]] == -1;
        }

        void collapse(int n) {
            deleted[left[n]] = true;
            deleted[right[n]] = true;
            left[n] = -1;
            right[n] = -1;
            java.math.BigDecimal value = new java.math.BigDecimal(Float.toString((float) (weight[n] * scale)));
            ((ArrayNode) json.get("split_conditions")).set(n, value);
            ((ArrayNode) json.get("base_weights")).set(n, value);
            ((ArrayNode) json.get("loss_changes")).set(n, java.math.BigDecimal.ZERO);
            ((ArrayNode) json.get("split_indices")).set(n, 0);
            ((ArrayNode) json.get("default_left")).set(n, 0);
            ((ArrayNode) json.get("split_type")).set(n, 0);
            changed = true;
        }

        /** Writes the node arrays back, removed nodes dropped and the others renumbered in their order. */
        void write() {
            if (!changed) {
                return;
            }
            int[] renumber = new int[size];
            int kept = 0;
            for (int n = 0; n < size; n++) {
                renumber[n] = deleted[n] ? -1 : kept++;
            }
            for (String name : NODE_ARRAYS) {
                ArrayNode old = (ArrayNode) json.get(name);
                ArrayNode out = json.arrayNode(kept);
                for (int n = 0; n < size; n++) {
                    if (deleted[n]) {
                        continue;
                    }
                    switch (name) {
                        case "left_children" -> out.add(left[n] == -1 ? -1 : renumber[left[n]]);
                        case "right_children" -> out.add(right[n] == -1 ? -1 : renumber[right[n]]);
                        case "parents" -> out.add(parent[n] == NO_PARENT ? NO_PARENT : renumber[parent[n]]);
                        default -> out.add(old.get(n));
                    }
                }
                json.set(name, out);
            }
            ((ObjectNode) json.get("tree_param")).put("num_nodes", Integer.toString(kept));
        }

        private int[] ints(String name) {
            JsonNode a = json.path(name);
            int[] out = new int[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) a.get(i).asLong();
            }
            return out;
        }

        private float[] floats(String name) {
            JsonNode a = json.path(name);
            float[] out = new float[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).floatValue();
            }
            return out;
        }
    }

    private static RuntimeException incompatible(String why) {
        return Failures.nonRetryable(FailureTypes.INCOMPATIBLE_MODEL, "cannot continue training the XGBoost model: " + why);
    }
}
