package dev.trainlayer.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

/** The demo data the end-to-end tests train on (Wisconsin diagnostic breast cancer, shipped in examples/data). */
final class DemoData {
    static final Path BREAST_CANCER = Path.of("..", "examples", "data", "breast_cancer.csv");

    private DemoData() {}

    /** Uploads it through the API as dataset {@code breast-cancer}; answers its {@code data.uri}. */
    static String uploadBreastCancer(ApiClient api) throws Exception {
        ApiClient.Response upload = api.uploadDataset("breast-cancer", BREAST_CANCER);
        assertEquals(201, upload.status(), upload.body()::toString);
        return upload.body().path("uri").asText();
    }
}
