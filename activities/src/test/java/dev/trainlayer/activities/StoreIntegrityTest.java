package dev.trainlayer.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.store.ArtifactCorruptException;
import dev.trainlayer.workflows.artifact.ArtifactRef;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects read back through their reference are checked against the sha256 recorded when they were written. */
class StoreIntegrityTest {
    @TempDir
    Path dir;

    @Test
    void aChangedObjectIsCorruptWhetherReadWholeOrStreamed() throws Exception {
        try (StoreFixture s = new StoreFixture(dir)) {
            ArtifactRef ref = s.store.putString("runs/r/features/train.bin", "the original bytes", "application/octet-stream");
            assertArrayEquals("the original bytes".getBytes(StandardCharsets.UTF_8), s.store.getBytes(ref));
            try (InputStream in = s.store.open(ref)) {
                in.readAllBytes();
            }

            s.store.putString("runs/r/features/train.bin", "the changed bytes", "application/octet-stream");
            ArtifactCorruptException whole = assertThrows(ArtifactCorruptException.class, () -> s.store.getBytes(ref));
            assertTrue(whole.getMessage().startsWith("s3://trainlayer/runs/r/features/train.bin is corrupt"), whole.getMessage());
            assertThrows(ArtifactCorruptException.class, () -> {
                try (InputStream in = s.store.open(ref)) {
                    in.readAllBytes();
                }
            });
            // A reference without a recorded digest (objects from before digests were kept) is read as it is.
            s.store.getBytes(new ArtifactRef(ref.bucket(), ref.key(), null, -1));
        }
    }
}
