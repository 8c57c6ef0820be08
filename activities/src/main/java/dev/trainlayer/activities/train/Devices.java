package dev.trainlayer.activities.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.trainlayer.activities.Failures;
import dev.trainlayer.workflows.FailureTypes;
import dev.trainlayer.workflows.spec.ComputeSpec;

/** Picks where a neural net trains: a GPU when one is asked for or available, else the CPU. */
public final class Devices {
    private Devices() {}

    public static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }

    /** "cpu" or "gpu:N": how trials and lineage name the device. */
    public static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    public static Device select(ComputeSpec.Device wanted) {
        int gpus = gpuCount();
        if (wanted == ComputeSpec.Device.GPU && gpus == 0) {
            throw Failures.nonRetryable(FailureTypes.GPU_UNAVAILABLE, "compute.device is gpu but the DJL engine on this worker"
                    + " sees no GPU; run a worker with CUDA natives on a GPU machine, or use device: auto");
        }
        if (wanted == ComputeSpec.Device.CPU || gpus == 0) {
            return Device.cpu();
        }
        return Device.gpu();
    }
}
