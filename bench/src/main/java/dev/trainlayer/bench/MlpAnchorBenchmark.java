package dev.trainlayer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainlayer.activities.train.MlpTrainer;
import dev.trainlayer.scoring.Matrix;
import dev.trainlayer.workflows.spec.Metric;
import dev.trainlayer.workflows.spec.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An MLP trial as trainlayer trains it with DJL ({@code MlpTrainer}: seeded dropout, Adam with weight decay and clipped
 * gradients, validation metrics and a copy of the best weights after every epoch) against PyTorch in Python training the
 * same network on the same float32 data with the loop a hand-written script has, one thread each, side by side in one
 * run. The anchor (torch from PyPI) is installed by the script in bench/.venv.
 */
public final class MlpAnchorBenchmark {
    static final int COLS = MlpParallelBenchmark.COLS;
    static final double DROPOUT = 0.1;

    /** Hidden layers and batch size: the default network at the default batch, at batch sizes the search tries, a wider net. */
    record Config(List<Integer> hidden, int batch) {
        String wire() {
            return String.join(",", hidden.stream().map(String::valueOf).toList()) + "@" + batch;
        }
    }

    static final List<Config> CONFIGS = List.of(new Config(List.of(64, 32), 32), new Config(List.of(64, 32), 256),
            new Config(List.of(64, 32), 1024), new Config(List.of(256, 128), 256));

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int epochs = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        Path python = Path.of(args[3]);
        Path doc = Path.of(args[4]);
        Path dir = Files.createDirectories(Path.of("bench", "results", "mlp-anchor"));
        Matrix train = MlpParallelBenchmark.data(rows, 1);
        Matrix validation = MlpParallelBenchmark.data(rows / 5, 2);
        XgboostAnchorBenchmark.write(dir, "train", train);
        XgboostAnchorBenchmark.write(dir, "validation", validation);
        MlpTrainer.Options warm = new MlpTrainer.Options(List.of(64), DROPOUT, 1e-3, 1e-4, 256, 1, 1000);
        train(train, validation, warm);   // loads the engine

        double[] java = new double[CONFIGS.size()];
        double[] javaLoss = new double[CONFIGS.size()];
        for (int c = 0; c < CONFIGS.size(); c++) {
            Config config = CONFIGS.get(c);
            MlpTrainer.Options options = new MlpTrainer.Options(config.hidden(), DROPOUT, 1e-3, 1e-4, config.batch(), epochs, 1000);
            double[] rates = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                javaLoss[c] = train(train, validation, options);
                rates[r] = (double) rows * epochs / ((System.nanoTime() - t0) / 1e9);
            }
            java[c] = MlpParallelBenchmark.median(rates);
        }

        List<String> command = new ArrayList<>(List.of(python.toString(), "bench/mlp_anchor.py", dir.toString(),
                String.valueOf(rows), String.valueOf(rows / 5), String.valueOf(COLS), String.valueOf(epochs),
                String.valueOf(repeats), String.valueOf(DROPOUT)));
        CONFIGS.forEach(config -> command.add(config.wire()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the Python anchor failed: " + out);
        }
        JsonNode anchor = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));

        StringBuilder table = new StringBuilder("| hidden layers | batch | trainlayer (DJL) samples/s | PyTorch samples/s | ratio "
                + "| best validation log loss, trainlayer / PyTorch |\n|---|---|---|---|---|---|\n");
        double worst = Double.POSITIVE_INFINITY;
        for (int c = 0; c < CONFIGS.size(); c++) {
            Config config = CONFIGS.get(c);
            double py = anchor.path("samplesPerSecond").path(config.wire()).asDouble();
            double ratio = java[c] / py;
            worst = Math.min(worst, ratio);
            table.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.2f× | %.4f / %.4f |%n", config.hidden(),
                    config.batch(), java[c], py, ratio, javaLoss[c], anchor.path("validationLogLoss").path(config.wire()).asDouble()));
            System.out.printf(Locale.ROOT, "%s batch %d: DJL %.0f samples/s, PyTorch %.0f samples/s (%.2fx)%n", config.hidden(),
                    config.batch(), java[c], py, ratio);
        }
        String body = "## MLP training: DJL vs PyTorch in Python\n\n"
                + "Command: `bench/run-mlp-anchor-bench.sh` (" + repeats + " repeats, medians; " + rows + " synthetic rows × " + COLS
                + " float32 columns, two classes, validation " + rows / 5 + " rows, " + epochs + " epochs, dropout " + DROPOUT
                + ", Adam (learning rate 1e-3, weight decay 1e-4, gradients clipped at 5: DJL's Adam clamps them from above only, "
                + "the script both ways), 1 thread each; torch "
                + anchor.path("torch").asText() + " from PyPI in bench/.venv, the same libtorch version DJL's engine loads). "
                + "Both sides shuffle every epoch, score the validation rows after every epoch and keep a copy of the best "
                + "weights; trainlayer's epoch also computes every metric of the task and draws its dropout masks from the "
                + "trial's seed. Samples/s is training rows × epochs ÷ wall seconds.\n\n" + table
                + String.format(Locale.ROOT, "%nLowest ratio: %.2f× (target ≥ 0.9×: %s).%n", worst, worst >= 0.9 ? "met" : "not met");
        Sections.write(doc, "<!-- mlp-anchor:start (generated by bench/run-mlp-anchor-bench.sh) -->",
                "<!-- mlp-anchor:end -->", body);
    }

    /** One trial on one thread; answers its best validation log loss. */
    static double train(Matrix train, Matrix validation, MlpTrainer.Options options) {
        MlpTrainer.Result result = MlpTrainer.train(train, validation, Task.CLASSIFICATION, 2, Metric.LOG_LOSS, options, 7,
                ai.djl.Device.cpu(), null, (s, l, b) -> true);
        return result.state().bestLoss();
    }

    private MlpAnchorBenchmark() {}
}
