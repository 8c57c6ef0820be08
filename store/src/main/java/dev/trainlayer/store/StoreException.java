package dev.trainlayer.store;

/** A store call that failed for a reason that may pass (network, server down): activities retry it. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
