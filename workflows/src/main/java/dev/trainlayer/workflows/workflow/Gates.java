package dev.trainlayer.workflows.workflow;

import dev.trainlayer.workflows.activity.PairedComparison;
import dev.trainlayer.workflows.spec.GatesSpec;
import dev.trainlayer.workflows.spec.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Gate evaluation: pure and deterministic, so it runs inside the workflow. */
public final class Gates {
    private Gates() {}

    public static List<GateResult> evaluate(GatesSpec gates, Metric primary, Map<String, Double> challenger,
                                            Map<String, Double> champion) {
        return evaluate(gates, primary, challenger, champion, null);
    }

    /**
     * With a paired {@code comparison} of challenger and champion (gates.significance), {@code requireChampionImprovement}
     * asks for a significant improvement that is also better on the primary metric, and its detail carries the p-value
     * and confidence interval ({@code maxDropVsChampion} alone stays a plain drop check; the comparison is on the run).
     */
    public static List<GateResult> evaluate(GatesSpec gates, Metric primary, Map<String, Double> challenger,
                                            Map<String, Double> champion, PairedComparison comparison) {
        List<GateResult> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : gates.min().entrySet()) {
            String metric = Metric.parse(e.getKey()).wire();
            Double value = challenger.get(metric);
            boolean ok = value != null && !value.isNaN() && value >= e.getValue();
            out.add(new GateResult("min." + metric, ok,
                    fmt(value) + (ok ? " >= " : " < ") + fmt(e.getValue()) + " (minimum)"));
        }
        for (Map.Entry<String, Double> e : gates.max().entrySet()) {
            String metric = Metric.parse(e.getKey()).wire();
            Double value = challenger.get(metric);
            boolean ok = value != null && !value.isNaN() && value <= e.getValue();
            out.add(new GateResult("max." + metric, ok,
                    fmt(value) + (ok ? " <= " : " > ") + fmt(e.getValue()) + " (maximum)"));
        }
        boolean improvement = Boolean.TRUE.equals(gates.requireChampionImprovement());
        if (gates.maxDropVsChampion() != null || improvement) {
            out.add(vsChampion(gates, primary, challenger, champion, improvement, comparison));
        }
        return out;
    }

    private static GateResult vsChampion(GatesSpec gates, Metric primary, Map<String, Double> challenger,
                                         Map<String, Double> champion, boolean improvement, PairedComparison comparison) {
        String name = "champion." + primary.wire();
        Double mine = challenger.get(primary.wire());
        Double theirs = champion == null ? null : champion.get(primary.wire());
        if (theirs == null || theirs.isNaN()) {
            return new GateResult(name, true, "no champion yet");
        }
        if (mine == null || mine.isNaN()) {
            return new GateResult(name, false, "challenger has no " + primary.wire());
        }
        if (improvement && comparison != null) {
            // Significantly better on the test's metric, and not worse on the primary one (McNemar compares accuracy).
            boolean ok = comparison.significant() && primary.better(mine, theirs);
            return new GateResult(name, ok, fmt(mine) + " vs champion's " + fmt(theirs) + ": " + comparison.metric()
                    + " improvement " + fmt(comparison.improvement()) + ", " + Math.round((1 - comparison.alpha()) * 100)
                    + "% CI [" + fmt(comparison.low()) + ", " + fmt(comparison.high()) + "], p = " + fmt(comparison.pValue())
                    + " (" + comparison.test() + ")" + (comparison.pValue() < comparison.alpha() ? " < " : " >= ") + "alpha " + fmt(comparison.alpha())
                    + (ok ? ": significantly better" : comparison.significant() ? ": but the primary metric is not better"
                    : ": not significantly better"));
        }
        if (improvement) {
            boolean ok = primary.better(mine, theirs);
            return new GateResult(name, ok, fmt(mine) + (ok ? " beats " : " does not beat ") + "champion's " + fmt(theirs));
        }
        double drop = primary.drop(mine, theirs);
        // A tiny tolerance so that an identical model is never rejected by floating-point noise.
        boolean ok = drop <= gates.maxDropVsChampion() + 1e-12;
        return new GateResult(name, ok, fmt(mine) + " vs champion's " + fmt(theirs) + ": drop " + fmt(Math.max(0, drop))
                + (ok ? " <= " : " > ") + "allowed " + fmt(gates.maxDropVsChampion()));
    }

    private static String fmt(Double v) {
        return v == null ? "missing" : String.format(Locale.ROOT, "%.4f", v);
    }
}
