package dev.trainlayer.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainlayer.store.ObjectStore;
import dev.trainlayer.store.StoreConfig;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev stack's built-in store credentials and MinIO's minioadmin are refused outside the dev stack. */
class DefaultCredentialsTest {
    @Test
    void theApiRefusesBuiltInStoreCredentialsOutsideTheDevStack() {
        for (String[] credentials : new String[][] {{StoreConfig.DEV_ACCESS_KEY, StoreConfig.DEV_SECRET_KEY}, {"minioadmin", "minioadmin"}}) {
            try (ApplicationContext context = ApplicationContext.run(Map.of(
                    "trainlayer.api.keys", "ops:default:admin:a-long-enough-secret-123",
                    "micronaut.server.port", "-1",
                    "trainlayer.store.endpoint", "http://127.0.0.1:1",
                    "trainlayer.store.access-key", credentials[0],
                    "trainlayer.store.secret-key", credentials[1]))) {
                Exception e = assertThrows(Exception.class, () -> context.getBean(ObjectStore.class));
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                assertTrue(root.getMessage().contains("TRAINLAYER_STORE_SECRET_KEY"), root.getMessage());
                assertTrue(!root.getMessage().contains(credentials[1]) || credentials[1].equals("minioadmin"),
                        "the message does not repeat the dev secret");
            }
        }
        // Inside the dev stack they are the stack's own, on loopback.
        new StoreConfig("http://127.0.0.1:1", StoreConfig.DEV_ACCESS_KEY, StoreConfig.DEV_SECRET_KEY, null, null).requireOwnCredentials(true);
        new StoreConfig("http://127.0.0.1:1", "key", "a-real-secret", null, null).requireOwnCredentials(false);
    }
}
