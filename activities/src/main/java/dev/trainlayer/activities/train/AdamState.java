package dev.trainlayer.activities.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Saves and restores the state of DJL's Adam — first and second moment estimates and update counts per
 * parameter — so that a trial resumed from a checkpoint continues exactly as if it had never stopped.
 * DJL keeps that state in private fields with no API to read or set it, so this reaches them by
 * reflection (checked against DJL 0.36.0; {@code TrialResumeTest} fails if a DJL upgrade moves them).
 * Parameters are matched by their names in the block, which are stable across processes (their ids are not).
 */
final class AdamState {
    private static final int FORMAT = 1;

    private AdamState() {}

    static byte[] save(Optimizer adam, Block block) {
        try {
            Map<String, Map<Device, NDArray>> means = field(Adam.class, adam, "means");
            Map<String, Map<Device, NDArray>> variances = field(Adam.class, adam, "variances");
            Map<String, Integer> counts = field(Optimizer.class, adam, "updateCounts");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(FORMAT);
            out.writeInt(intField(adam, "numUpdate"));
            var parameters = block.getParameters();
            out.writeInt(parameters.size());
            for (Pair<String, Parameter> p : parameters) {
                String id = p.getValue().getId();
                out.writeUTF(p.getKey());
                out.writeInt(counts.getOrDefault(id, 0));
                writeArray(out, only(means.get(id)));
                writeArray(out, only(variances.get(id)));
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot save the optimizer state: " + e, e);
        }
    }

    static void restore(Optimizer adam, Block block, byte[] state, NDManager manager) {
        try {
            Map<String, Map<Device, NDArray>> means = field(Adam.class, adam, "means");
            Map<String, Map<Device, NDArray>> variances = field(Adam.class, adam, "variances");
            Map<String, Integer> counts = field(Optimizer.class, adam, "updateCounts");
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
            if (in.readInt() != FORMAT) {
                throw new IllegalStateException("unknown optimizer state format");
            }
            int numUpdate = in.readInt();
            int n = in.readInt();
            Map<String, Parameter> byName = new java.util.HashMap<>();
            block.getParameters().forEach(p -> byName.put(p.getKey(), p.getValue()));
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                Parameter parameter = byName.get(name);
                if (parameter == null) {
                    throw new IllegalStateException("the checkpoint's optimizer state names parameter '" + name
                            + "', which this network does not have");
                }
                int count = in.readInt();
                NDArray mean = readArray(in, manager);
                NDArray variance = readArray(in, manager);
                String id = parameter.getId();
                Device device = parameter.getArray().getDevice();
                if (count > 0) {
                    counts.put(id, count);
                }
                if (mean != null) {
                    means.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(device, mean.toDevice(device, false));
                }
                if (variance != null) {
                    variances.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(device, variance.toDevice(device, false));
                }
            }
            Field f = Optimizer.class.getDeclaredField("numUpdate");
            f.setAccessible(true);
            f.setInt(adam, numUpdate);
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot restore the optimizer state: " + e, e);
        }
    }

    private static NDArray only(Map<Device, NDArray> byDevice) {
        return byDevice == null || byDevice.isEmpty() ? null : byDevice.values().iterator().next();
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        if (array == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        long[] shape = array.getShape().getShape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        float[] values = array.toFloatArray();
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long[] shape = new long[in.readInt()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong();
        }
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return manager.create(values, new Shape(shape));
    }

    @SuppressWarnings("unchecked")
    private static <T> T field(Class<?> owner, Object target, String name) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(target);
    }

    private static int intField(Object target, String name) throws ReflectiveOperationException {
        Field f = Optimizer.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.getInt(target);
    }
}
