package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.IntermediateValue;
import dev.trainlayer.workflows.activity.PruningPlan;
import dev.trainlayer.workflows.activity.TrialInput;
import dev.trainlayer.workflows.activity.TrialResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Combines the fold trials of one configuration into the trial the search sees. Pure and deterministic. */
final class CrossValidation {
    private CrossValidation() {}

    static TrialResult combine(TrialInput trial, List<TrialResult> folds) {
        for (int f = 0; f < folds.size(); f++) {
            TrialResult r = folds.get(f);
            if (!r.completed() && !r.pruned()) {
                return TrialResult.failed(trial.trialId(), trial.candidate().name(), trial.candidate().type(),
                        trial.candidate().params(), "fold " + f + ": " + r.failure());
            }
        }
        String status = TrialResult.COMPLETED;
        String why = null;
        for (int f = 0; f < folds.size(); f++) {
            if (folds.get(f).pruned()) {
                status = TrialResult.PRUNED;
                why = "fold " + f + " " + folds.get(f).failure();
                break;
            }
        }
        List<Double> values = folds.stream().map(TrialResult::objective).toList();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        Double std = null;
        if (values.size() > 1) {
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            std = Math.sqrt(ss / (values.size() - 1));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TrialResult r : folds) {
            r.validationMetrics().forEach((k, v) -> {
                metrics.merge(k, v, Double::sum);
                counts.merge(k, 1, Integer::sum);
            });
        }
        metrics.replaceAll((k, v) -> v / counts.get(k));
        TreeSet<Integer> steps = new TreeSet<>();
        folds.forEach(r -> r.intermediate().forEach(v -> steps.add(v.step())));
        List<IntermediateValue> intermediate = new ArrayList<>();
        for (int step : steps) {
            double sum = 0;
            boolean all = true;
            for (TrialResult r : folds) {
                Optional<Double> v = PruningPlan.valueAt(r, step);
                if (v.isEmpty()) {
                    all = false;
                    break;
                }
                sum += v.get();
            }
            if (all) {
                intermediate.add(new IntermediateValue(step, sum / folds.size()));
            }
        }
        TrialResult first = folds.get(0);
        return new TrialResult(trial.trialId(), trial.candidate().name(), trial.candidate().type(), trial.candidate().params(),
                status, why, mean, metrics,
                folds.stream().mapToInt(TrialResult::epochs).max().orElse(0),
                (int) Math.round(folds.stream().mapToInt(TrialResult::bestEpoch).average().orElse(0)),
                folds.stream().mapToInt(TrialResult::resumedFromEpoch).max().orElse(0),
                null, List.of(),
                folds.stream().mapToLong(TrialResult::durationMs).max().orElse(0),
                folds.stream().mapToInt(TrialResult::attempt).max().orElse(0),
                first.worker(), first.device(), first.environment(), intermediate, std, values, trial.seed());
    }
}
