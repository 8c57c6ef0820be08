package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where neural-net trials run. {@code auto} uses a GPU when the training worker's DJL engine sees one and
 * the CPU otherwise; {@code gpu} requires one: trials go to the {@code trainlayer-train-gpu} queue,
 * which only workers that see a GPU poll. XGBoost trials always run on the CPU queue.
 */
public record ComputeSpec(Device device) {

    public enum Device {
        AUTO, CPU, GPU;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Device parse(String value) {
            return Enums.parse(Device.class, value);
        }
    }

    ComputeSpec withDefaults() {
        return new ComputeSpec(device == null ? Device.AUTO : device);
    }
}
