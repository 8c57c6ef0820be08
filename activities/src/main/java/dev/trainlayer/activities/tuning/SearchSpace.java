package dev.trainlayer.activities.tuning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** An ordered set of dimensions and the map between parameter values and the unit-cube encoding. */
public record SearchSpace(List<Dimension> dimensions) {
    public SearchSpace {
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one dimension");
        }
        dimensions = List.copyOf(dimensions);
    }

    public int encodedSize() {
        return dimensions.stream().mapToInt(Dimension::width).sum();
    }

    public double[] encode(Map<String, Object> params) {
        double[] x = new double[encodedSize()];
        int offset = 0;
        for (Dimension d : dimensions) {
            Object v = params.get(d.name());
            if (v == null) {
                throw new IllegalArgumentException("no value for '" + d.name() + "'");
            }
            d.encode(v, x, offset);
            offset += d.width();
        }
        return x;
    }

    public Map<String, Object> decode(double[] x) {
        Map<String, Object> params = new LinkedHashMap<>();
        int offset = 0;
        for (Dimension d : dimensions) {
            params.put(d.name(), d.decode(x, offset));
            offset += d.width();
        }
        return params;
    }

    /** The nearest encoding of a valid configuration (integers rounded, one category chosen). */
    public double[] project(double[] x) {
        double[] p = x.clone();
        int offset = 0;
        for (Dimension d : dimensions) {
            d.project(p, offset);
            offset += d.width();
        }
        return p;
    }

    /** A configuration drawn uniformly (log-uniformly on log scales, uniformly over categories). */
    public Map<String, Object> sample(Random random) {
        double[] x = new double[encodedSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        return decode(x);
    }

    /** Coordinates of the encoding that belong to each dimension, in order. */
    int[] offsets() {
        int[] offsets = new int[dimensions.size()];
        int offset = 0;
        for (int i = 0; i < dimensions.size(); i++) {
            offsets[i] = offset;
            offset += dimensions.get(i).width();
        }
        return offsets;
    }
}
