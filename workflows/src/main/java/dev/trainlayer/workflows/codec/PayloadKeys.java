package dev.trainlayer.workflows.codec;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The payload encryption keys, from {@code TRAINLAYER_PAYLOAD_KEYS} ({@code trainlayer.temporal.payload-keys}):
 * comma-separated {@code keyId:base64(32 bytes)}. The first key encrypts; every key decrypts, so a new key put in
 * front rotates encryption while histories written under the old ones stay readable. Messages name an entry by
 * position and id, never its key bytes.
 */
public final class PayloadKeys {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String primary;
    private final Map<String, SecretKey> keys;

    private PayloadKeys(String primary, Map<String, SecretKey> keys) {
        this.primary = primary;
        this.keys = keys;
    }

    /** Empty (no encryption) when the text is empty. */
    public static java.util.Optional<PayloadKeys> parse(String text) {
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        String[] items = text.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                continue;
            }
            String where = "TRAINLAYER_PAYLOAD_KEYS entry " + (i + 1);
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(where + " is not keyId:base64-of-32-bytes");
            }
            String id = item.substring(0, colon).trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(where + ": key id '" + id + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(item.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " ('" + id + "'): the key is not base64 (`openssl rand -base64 32`)");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException(where + " ('" + id + "'): the key has " + bytes.length
                        + " bytes; AES-256 needs 32 (`openssl rand -base64 32`)");
            }
            if (keys.put(id, new SecretKeySpec(bytes, "AES")) != null) {
                throw new IllegalArgumentException(where + ": key id '" + id + "' appears twice");
            }
            order.add(id);
        }
        return order.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new PayloadKeys(order.get(0), keys));
    }

    String primaryId() {
        return primary;
    }

    SecretKey primary() {
        return keys.get(primary);
    }

    SecretKey key(String id) {
        return keys.get(id);
    }

    List<String> ids() {
        return List.copyOf(keys.keySet());
    }
}
