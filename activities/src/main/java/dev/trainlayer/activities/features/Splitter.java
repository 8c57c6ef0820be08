package dev.trainlayer.activities.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded train/validation/test split. Stratified by label when asked: each class is shuffled on its
 * own and contributes its share to every split, so rare classes appear in all three when they can.
 * The same rows, labels and seed always give the same split.
 */
public final class Splitter {
    private Splitter() {}

    public record Split(int[] train, int[] validation, int[] test) {}

    public static Split split(List<String> labels, double testFraction, double validationFraction, boolean stratify, long seed) {
        Random random = new Random(seed);
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            groups.computeIfAbsent(stratify ? labels.get(i) : "", k -> new ArrayList<>()).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> group : groups.values()) {
            java.util.Collections.shuffle(group, random);
            int n = group.size();
            int nTest = (int) Math.round(n * testFraction);
            int nVal = (int) Math.round(n * validationFraction);
            // Keep at least one training row per group: a class the model never trains on cannot be learned.
            while (nTest + nVal >= n && (nTest > 0 || nVal > 0)) {
                if (nVal >= nTest && nVal > 0) {
                    nVal--;
                } else {
                    nTest--;
                }
            }
            test.addAll(group.subList(0, nTest));
            validation.addAll(group.subList(nTest, nTest + nVal));
            train.addAll(group.subList(nTest + nVal, n));
        }
        return new Split(sorted(train), sorted(validation), sorted(test));
    }

    private static int[] sorted(List<Integer> xs) {
        int[] out = xs.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }
}
