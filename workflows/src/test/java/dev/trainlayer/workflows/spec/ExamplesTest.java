package dev.trainlayer.workflows.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example under examples/ must parse and pass the rules (its data URI is filled in by the demo). */
class ExamplesTest {
    @Test
    void everyExampleIsAValidSpec() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            examples = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).toList();
        }
        assertFalse(examples.isEmpty());
        for (Path example : examples) {
            String text = Files.readString(example).replace("${DATA_URI}", "s3://trainlayer/uploads/example/data.csv");
            SpecParser.parse(text).withDefaults();
        }
    }
}
