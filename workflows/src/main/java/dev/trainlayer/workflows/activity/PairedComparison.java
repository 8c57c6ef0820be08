package dev.trainlayer.workflows.activity;

/**
 * The challenger against the champion on the same frozen test rows, paired row by row.
 *
 * @param test        {@code bootstrap} or {@code mcnemar}
 * @param metric      the metric compared (the spec's primary one; accuracy for McNemar)
 * @param improvement the challenger's improvement on all rows (positive: better, in the metric's own direction)
 * @param low         lower end of the {@code 1 - alpha} bootstrap confidence interval of the improvement
 * @param high        upper end of it
 * @param pValue      one-sided p-value of "the challenger is better"
 * @param significant {@code pValue < alpha}
 * @param rows        test rows compared
 * @param resamples   bootstrap resamples behind the interval
 */
public record PairedComparison(String test, String metric, double alpha, double improvement, double low, double high,
                               double pValue, boolean significant, int rows, int resamples) {}
