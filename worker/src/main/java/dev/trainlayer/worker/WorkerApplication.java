package dev.trainlayer.worker;

import io.micronaut.runtime.Micronaut;
import java.util.Map;

/** A worker process: hosts the workflows and activities; no HTTP API. */
public final class WorkerApplication {
    private WorkerApplication() {}

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(WorkerApplication.class)
                .properties(Map.of(WorkerHost.ENABLED, true))
                .start();
    }
}
