package dev.trainlayer.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The trainlayer HTTP API: start and control retrain runs, upload datasets, manage model versions. */
@OpenAPIDefinition(info = @Info(title = "trainlayer", version = "v1",
        description = "Start, inspect and control durable retrain runs; upload datasets; list, inspect and roll back model versions."))
public final class ApiApplication {
    private ApiApplication() {}

    public static void main(String[] args) {
        Micronaut.run(ApiApplication.class, args);
    }
}
