package dev.trainlayer.workflows.codec;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.HasWorkflowSerializationContext;
import io.temporal.payload.context.SerializationContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Temporal payloads encrypted with AES-256-GCM: workflow inputs and results, activity inputs, results and heartbeat
 * details, signals, queries, memos — everything Temporal stores about a run — are ciphertext in its history. Each
 * payload gets a fresh 12-byte nonce; its metadata says {@code encoding: binary/encrypted}, the key id, and the
 * project of the workflow it belongs to (from the workflow id, when the SDK gives the codec that context), and the
 * key id and project are authenticated with the ciphertext, so neither can be swapped. Payloads without that
 * encoding pass through unchanged on decode: histories from before encryption was turned on stay readable.
 */
public final class EncryptionCodec implements PayloadCodec {
    public static final String ENCODING = "binary/encrypted";
    public static final String KEY_ID = "encryption-key-id";
    public static final String PROJECT = "trainlayer-project";
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PayloadKeys keys;
    private final String project;

    public EncryptionCodec(PayloadKeys keys) {
        this(keys, null);
    }

    private EncryptionCodec(PayloadKeys keys, String project) {
        this.keys = keys;
        this.project = project;
    }

    @Override
    public PayloadCodec withContext(SerializationContext context) {
        String workflowId = context instanceof HasWorkflowSerializationContext w ? w.getWorkflowId() : null;
        return new EncryptionCodec(keys, projectOf(workflowId));
    }

    /**
     * The project a workflow id names: {@code retrain/{p}/{pipeline}/{runId}[/search]}, {@code registry/{p}/{model}},
     * {@code schedule/{p}/{pipeline}}; null for ids from before projects and anything else.
     */
    public static String projectOf(String workflowId) {
        if (workflowId == null) {
            return null;
        }
        String[] parts = workflowId.split("/");
        boolean qualified = switch (parts[0]) {
            case "retrain" -> parts.length >= 4;
            case "registry", "schedule" -> parts.length >= 3;
            default -> false;
        };
        return qualified ? parts[1] : null;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        List<Payload> out = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            out.add(encrypt(payload));
        }
        return out;
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        List<Payload> out = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            out.add(decrypt(payload));
        }
        return out;
    }

    private Payload encrypt(Payload payload) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, keys.primary(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(keys.primaryId(), project));
            byte[] sealed = cipher.doFinal(payload.toByteArray());
            Payload.Builder b = Payload.newBuilder()
                    .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
                    .putMetadata(KEY_ID, ByteString.copyFromUtf8(keys.primaryId()))
                    .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)));
            if (project != null) {
                b.putMetadata(PROJECT, ByteString.copyFromUtf8(project));
            }
            return b.build();
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException("cannot encrypt a payload: " + e.getMessage(), e);
        }
    }

    /** Whether a payload is one this codec wrote. */
    public static boolean isEncrypted(Payload payload) {
        ByteString encoding = payload.getMetadataMap().get("encoding");
        return encoding != null && ENCODING.equals(encoding.toStringUtf8());
    }

    /** The project an encrypted payload was written for, or null. */
    public static String projectOf(Payload payload) {
        ByteString p = payload.getMetadataMap().get(PROJECT);
        return p == null ? null : p.toStringUtf8();
    }

    private Payload decrypt(Payload payload) {
        if (!isEncrypted(payload)) {
            return payload;
        }
        ByteString id = payload.getMetadataMap().get(KEY_ID);
        String keyId = id == null ? "" : id.toStringUtf8();
        if (keys.key(keyId) == null) {
            throw new PayloadCodecException("a payload is encrypted with key '" + keyId
                    + "', which TRAINLAYER_PAYLOAD_KEYS does not have (it has " + keys.ids() + "); add that key back to read it");
        }
        byte[] data = payload.getData().toByteArray();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PayloadCodecException("an encrypted payload is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(aad(keyId, projectOf(payload)));
            return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
        } catch (AEADBadTagException e) {
            throw new PayloadCodecException("an encrypted payload (key '" + keyId
                    + "') fails authentication: it was changed, or that key id holds a different key than the one that wrote it");
        } catch (GeneralSecurityException | com.google.protobuf.InvalidProtocolBufferException e) {
            throw new PayloadCodecException("cannot decrypt a payload (key '" + keyId + "'): " + e.getMessage(), e);
        }
    }

    private static byte[] aad(String keyId, String project) {
        return (keyId + "\n" + (project == null ? "" : project)).getBytes(StandardCharsets.UTF_8);
    }
}
