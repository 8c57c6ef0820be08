package dev.trainlayer.bench;

import ai.djl.Device;
import dev.trainlayer.scoring.Table;
import dev.trainlayer.activities.features.FeaturePipeline;
import dev.trainlayer.scoring.FittedPipeline;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.activities.features.Splitter;
import dev.trainlayer.activities.train.Devices;
import dev.trainlayer.activities.train.MlpTrainer;
import dev.trainlayer.workflows.spec.ComputeSpec;
import dev.trainlayer.workflows.spec.FeaturesSpec;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The CUDA path, checked on a GPU machine: the engine must see a GPU, {@code compute.device: gpu} must
 * select it, and the demo MLP must train on it to the same quality as on the CPU. Prints both timings.
 * Exit 0 only when all of that holds.
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) throws Exception {
        int gpus = Devices.gpuCount();
        System.out.println("DJL engine sees " + gpus + " GPU(s)");
        if (gpus == 0) {
            System.out.println("FAIL: no GPU visible to DJL (CUDA natives on the class path? see bench/gpu-check.sh)");
            System.exit(1);
        }
        Device device = Devices.select(ComputeSpec.Device.GPU);
        Table table;
        try (InputStream in = Files.newInputStream(Path.of("examples", "data", "breast_cancer.csv"))) {
            table = Table.read(in);
        }
        int t = table.column("diagnosis");
        List<String> labels = table.rows().stream().map(r -> r[t]).toList();
        List<String> rows = table.rows().stream().map(r -> String.join("\u001f", r)).toList();
        Splitter.Split split = Splitter.split(labels, rows, 0.2, 0.15, true, 42);
        FittedPipeline pipeline = FeaturePipeline.fit(table.select(split.train()), "diagnosis", Task.CLASSIFICATION,
                List.of("benign", "malignant"), FeaturesSpec.EMPTY).pipeline();
        Matrix train = pipeline.transform(table.select(split.train()));
        Matrix validation = pipeline.transform(table.select(split.validation()));
        MlpTrainer.Options options = new MlpTrainer.Options(List.of(256, 256), 0.1, 1e-3, 1e-4, 64, 100, 100);
        double[] seconds = new double[2];
        double[] auc = new double[2];
        Device[] devices = {Device.cpu(), device};
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            MlpTrainer.Result r = MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.ROC_AUC, options, 42,
                    devices[i], null, (s, l, b) -> true);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            auc[i] = r.state().bestMetrics().get("roc_auc");
            System.out.printf(Locale.ROOT, "%s: %.2f s for %d epochs, validation roc_auc %.4f%n", Devices.name(devices[i]),
                    seconds[i], r.state().epoch(), auc[i]);
        }
        boolean ok = auc[1] > 0.95 && Math.abs(auc[1] - auc[0]) < 0.02;
        System.out.printf(Locale.ROOT, "%s: gpu/cpu time ratio %.2f, roc_auc cpu %.4f gpu %.4f%n",
                ok ? "PASS" : "FAIL", seconds[1] / seconds[0], auc[0], auc[1]);
        System.exit(ok ? 0 : 1);
    }
}
