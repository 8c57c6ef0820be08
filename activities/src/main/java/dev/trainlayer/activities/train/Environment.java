package dev.trainlayer.activities.train;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What built a model: code version, library and engine versions, JDK and OS. Recorded in every lineage. */
public final class Environment {
    private static volatile String codeVersion;

    private Environment() {}

    public static Map<String, String> describe(String device) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("codeVersion", codeVersion());
        env.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("djl", Engine.getDjlVersion());
        env.put("pytorch", engineVersion());
        env.put("xgboost4j", packageVersion(ml.dmlc.xgboost4j.java.XGBoost.class));
        env.put("temporalSdk", io.temporal.serviceclient.Version.LIBRARY_VERSION);
        env.put("device", device);
        return env;
    }

    private static String engineVersion() {
        try {
            return Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            return "unavailable";
        }
    }

    private static String packageVersion(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        String location = String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d+\\.\\d+\\.\\d+[^/]*)\\.jar").matcher(location);
        return m.find() ? m.group(1) : "unknown";
    }

    /** {@code trainlayer.codeVersion} property, {@code TRAINLAYER_CODE_VERSION}, else {@code git rev-parse HEAD}. */
    public static String codeVersion() {
        if (codeVersion == null) {
            String v = System.getProperty("trainlayer.codeVersion");
            if (v == null || v.isBlank()) {
                v = System.getenv("TRAINLAYER_CODE_VERSION");
            }
            if (v == null || v.isBlank()) {
                v = gitHead();
            }
            codeVersion = v;
        }
        return codeVersion;
    }

    private static String gitHead() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
