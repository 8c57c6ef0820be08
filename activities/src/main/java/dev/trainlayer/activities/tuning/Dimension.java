package dev.trainlayer.activities.tuning;

import java.util.List;

/**
 * One searched parameter. Each maps to a block of the optimizer's unit-cube encoding: one coordinate for
 * a number (in log space when {@code log}), one coordinate per choice (one-hot) for a categorical.
 */
public sealed interface Dimension {
    String name();

    /** Coordinates this dimension occupies in the encoded space. */
    int width();

    /** Writes the encoding of {@code value} at {@code offset}. */
    void encode(Object value, double[] out, int offset);

    /** Reads a value from the encoding at {@code offset} (rounding integers, taking the top category). */
    Object decode(double[] x, int offset);

    /** Moves the block at {@code offset} onto the nearest encoding of a valid value. */
    default void project(double[] x, int offset) {
        encode(decode(x, offset), x, offset);
    }

    /** A real-valued parameter in [low, high], searched uniformly in log space when {@code log}. */
    record Float(String name, double low, double high, boolean log) implements Dimension {
        public Float {
            if (!(high > low) || (log && low <= 0)) {
                throw new IllegalArgumentException(name + ": need low < high" + (log ? " and low > 0 for a log scale" : ""));
            }
        }

        @Override
        public int width() {
            return 1;
        }

        @Override
        public void encode(Object value, double[] out, int offset) {
            double v = ((Number) value).doubleValue();
            out[offset] = log ? (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (v - low) / (high - low);
        }

        @Override
        public Object decode(double[] x, int offset) {
            double u = Math.min(1, Math.max(0, x[offset]));
            double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
            return Math.min(high, Math.max(low, v));
        }
    }

    /** An integer parameter in [low, high]; log scale for ranges spanning orders of magnitude. */
    record Int(String name, long low, long high, boolean log) implements Dimension {
        public Int {
            if (!(high > low) || (log && low <= 0)) {
                throw new IllegalArgumentException(name + ": need low < high" + (log ? " and low > 0 for a log scale" : ""));
            }
        }

        @Override
        public int width() {
            return 1;
        }

        @Override
        public void encode(Object value, double[] out, int offset) {
            // Integers are placed at the centre of their cell, so rounding in decode is symmetric.
            double v = ((Number) value).doubleValue();
            out[offset] = ((log ? Math.log(v) : v) - cellLow()) / (cellHigh() - cellLow());
        }

        @Override
        public Object decode(double[] x, int offset) {
            double u = Math.min(1, Math.max(0, x[offset]));
            double v = cellLow() + u * (cellHigh() - cellLow());
            long n = Math.round(log ? Math.exp(v) : v);
            return Math.min(high, Math.max(low, n));
        }

        /** Edges of the interval the integers' cells cover ([low - ½, high + ½]), in log space when log. */
        private double cellLow() {
            return log ? Math.log(low - 0.5) : low - 0.5;
        }

        private double cellHigh() {
            return log ? Math.log(high + 0.5) : high + 0.5;
        }
    }

    /** One of a few choices, one-hot encoded so the kernel learns a length scale per choice. */
    record Categorical(String name, List<Object> choices) implements Dimension {
        public Categorical {
            if (choices == null || choices.size() < 2) {
                throw new IllegalArgumentException(name + ": a categorical needs at least two choices");
            }
            choices = List.copyOf(choices);
        }

        @Override
        public int width() {
            return choices.size();
        }

        @Override
        public void encode(Object value, double[] out, int offset) {
            int k = indexOf(value);
            for (int i = 0; i < choices.size(); i++) {
                out[offset + i] = i == k ? 1 : 0;
            }
        }

        private int indexOf(Object value) {
            for (int i = 0; i < choices.size(); i++) {
                if (choices.get(i).equals(value) || String.valueOf(choices.get(i)).equals(String.valueOf(value))) {
                    return i;
                }
            }
            throw new IllegalArgumentException(name + ": '" + value + "' is not one of " + choices);
        }

        @Override
        public Object decode(double[] x, int offset) {
            int best = 0;
            for (int i = 1; i < choices.size(); i++) {
                if (x[offset + i] > x[offset + best]) {
                    best = i;
                }
            }
            return choices.get(best);
        }
    }
}
