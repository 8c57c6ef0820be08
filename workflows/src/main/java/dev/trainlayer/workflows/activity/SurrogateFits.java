package dev.trainlayer.workflows.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The Gaussian-process hyperparameters the optimizer fitted for a search (its objective, and the cost of a trial when
 * cost counts), handed back with each suggestion and passed in with the next: with many cheap trials, refitting them
 * for every suggestion took longer than a trial (0.2–0.3 s each at 160 observations), and the trial slots sat idle
 * waiting for it. The optimizer reuses a fit until the observations grow by a fifth, then refits from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SurrogateFits(Fit objective, Fit cost) {

    /**
     * One fit: the log length scale of each encoded dimension, the log signal and noise variances (of standardized
     * values), and how many observations it was fitted on.
     */
    public record Fit(List<Double> logLengths, double logSignal, double logNoise, int observations) {
        public Fit {
            logLengths = List.copyOf(logLengths);
        }

        /** From the hyperparameters as one vector: log lengths, then log signal and log noise. */
        public static Fit of(double[] log, int observations) {
            List<Double> lengths = new java.util.ArrayList<>();
            for (int i = 0; i < log.length - 2; i++) {
                lengths.add(log[i]);
            }
            return new Fit(lengths, log[log.length - 2], log[log.length - 1], observations);
        }

        /** The hyperparameters as one vector, as {@link #of} takes them. */
        public double[] log() {
            double[] out = new double[logLengths.size() + 2];
            for (int i = 0; i < logLengths.size(); i++) {
                out[i] = logLengths.get(i);
            }
            out[out.length - 2] = logSignal;
            out[out.length - 1] = logNoise;
            return out;
        }
    }
}
