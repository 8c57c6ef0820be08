package dev.trainlayer.activities.tuning;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;

/**
 * Minimizes a smooth function with its gradient inside a box: limited-memory BFGS directions on the free
 * variables (those not held at a bound by their gradient), projection onto the box, and a backtracking
 * Armijo line search. Small and deterministic — what fitting a few GP hyperparameters needs.
 */
final class BoundedLbfgs {
    /** Value and gradient at a point. */
    interface Function {
        /** Returns f(x) and writes ∇f(x) into {@code gradient}; may return +∞ where f is undefined. */
        double evaluate(double[] x, double[] gradient);
    }

    private static final int MEMORY = 8;

    private BoundedLbfgs() {}

    /** The best point found from {@code start} within {@code maxEvaluations}. */
    static double[] minimize(Function f, double[] start, double[] lower, double[] upper, int maxEvaluations) {
        int n = start.length;
        double[] x = project(start.clone(), lower, upper);
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        int evaluations = 1;
        if (!Double.isFinite(fx)) {
            return x;
        }
        Deque<double[][]> memory = new ArrayDeque<>(); // {s, y, rho}
        for (int iteration = 0; iteration < 200 && evaluations < maxEvaluations; iteration++) {
            boolean[] fixed = new boolean[n];
            double projected = 0;
            for (int i = 0; i < n; i++) {
                fixed[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
                if (!fixed[i]) {
                    projected = Math.max(projected, Math.abs(g[i]));
                }
            }
            if (projected < 1e-5) {
                break;
            }
            double[] d = direction(g, fixed, memory);
            double slope = dot(d, g);
            if (!(slope < 0)) {
                memory.clear();
                d = direction(g, fixed, memory);
                slope = dot(d, g);
            }
            // The first step of a fresh memory is scaled so it moves the point by at most 1 in log space.
            double t = memory.isEmpty() ? Math.min(1, 1 / Math.max(1e-12, norm(d))) : 1;
            double[] next = null;
            double[] nextG = new double[n];
            double fNext = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 30 && evaluations < maxEvaluations; k++) {
                double[] trial = new double[n];
                for (int i = 0; i < n; i++) {
                    trial[i] = x[i] + t * d[i];
                }
                project(trial, lower, upper);
                double[] trialG = new double[n];
                double fTrial = f.evaluate(trial, trialG);
                evaluations++;
                double decrease = 0;
                for (int i = 0; i < n; i++) {
                    decrease += g[i] * (trial[i] - x[i]);
                }
                if (Double.isFinite(fTrial) && fTrial <= fx + 1e-4 * decrease) {
                    next = trial;
                    nextG = trialG;
                    fNext = fTrial;
                    break;
                }
                t *= 0.5;
            }
            if (next == null) {
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = next[i] - x[i];
                y[i] = nextG[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-10) {
                if (memory.size() == MEMORY) {
                    memory.removeFirst();
                }
                memory.addLast(new double[][] {s, y, {1 / sy}});
            }
            boolean converged = Math.abs(fx - fNext) <= 1e-8 * Math.max(1, Math.abs(fx));
            x = next;
            g = nextG;
            fx = fNext;
            if (converged) {
                break;
            }
        }
        return x;
    }

    /** −H·g over the free variables by the two-loop recursion; fixed variables do not move. */
    private static double[] direction(double[] g, boolean[] fixed, Deque<double[][]> memory) {
        int n = g.length;
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = fixed[i] ? 0 : g[i];
        }
        double[] alphas = new double[memory.size()];
        int m = 0;
        for (Iterator<double[][]> it = memory.descendingIterator(); it.hasNext(); m++) {
            double[][] e = it.next();
            alphas[m] = e[2][0] * dotFree(e[0], q, fixed);
            for (int i = 0; i < n; i++) {
                if (!fixed[i]) {
                    q[i] -= alphas[m] * e[1][i];
                }
            }
        }
        if (!memory.isEmpty()) {
            double[][] last = memory.peekLast();
            double gamma = dot(last[0], last[1]) / Math.max(1e-300, dot(last[1], last[1]));
            for (int i = 0; i < n; i++) {
                q[i] *= gamma;
            }
        }
        m = memory.size() - 1;
        for (Iterator<double[][]> it = memory.iterator(); it.hasNext(); m--) {
            double[][] e = it.next();
            double beta = e[2][0] * dotFree(e[1], q, fixed);
            for (int i = 0; i < n; i++) {
                if (!fixed[i]) {
                    q[i] += e[0][i] * (alphas[m] - beta);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            q[i] = fixed[i] ? 0 : -q[i];
        }
        return q;
    }

    private static double[] project(double[] x, double[] lower, double[] upper) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dotFree(double[] a, double[] b, boolean[] fixed) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (!fixed[i]) {
                s += a[i] * b[i];
            }
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(Arrays.stream(a).map(v -> v * v).sum());
    }
}
