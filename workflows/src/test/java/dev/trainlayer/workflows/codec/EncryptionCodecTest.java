package dev.trainlayer.workflows.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionCodecTest {
    static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String K2 = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String K1_OTHER = "k1:" + Base64.getEncoder().encodeToString("ffffffffffffffffffffffffffffffff".getBytes());

    static EncryptionCodec codec(String keys) {
        return new EncryptionCodec(PayloadKeys.parse(keys).orElseThrow());
    }

    static Payload json(String text) {
        return DefaultDataConverter.STANDARD_INSTANCE.toPayload(Map.of("target", text)).orElseThrow();
    }

    static PayloadCodec forRun(EncryptionCodec codec) {
        return codec.withContext(new WorkflowSerializationContext("default", "retrain/team-a/churn/run-1"));
    }

    @Test
    void roundTripHidesThePlaintextAndTagsTheProject() {
        Payload plain = json("churned-secret-column");
        Payload sealed = forRun(codec(K1)).encode(List.of(plain)).get(0);
        assertTrue(EncryptionCodec.isEncrypted(sealed));
        assertEquals("team-a", EncryptionCodec.projectOf(sealed));
        assertEquals("k1", sealed.getMetadataMap().get(EncryptionCodec.KEY_ID).toStringUtf8());
        assertFalse(sealed.toByteString().toStringUtf8().contains("churned-secret-column"));
        assertEquals(plain, codec(K1).decode(List.of(sealed)).get(0));
        Payload again = forRun(codec(K1)).encode(List.of(plain)).get(0);
        assertFalse(again.getData().equals(sealed.getData()), "a fresh nonce per payload");
    }

    @Test
    void aNewKeyInFrontStillDecodesTheOldOnesAndEncryptsWithTheNewOne() {
        Payload old = forRun(codec(K1)).encode(List.of(json("x"))).get(0);
        EncryptionCodec rotated = codec(K2 + "," + K1);
        assertEquals(json("x"), rotated.decode(List.of(old)).get(0));
        assertEquals("k2", forRun(rotated).encode(List.of(json("x"))).get(0).getMetadataMap().get(EncryptionCodec.KEY_ID).toStringUtf8());
    }

    @Test
    void tamperingAWrongKeyAndAnUnknownKeyIdFailClearly() {
        Payload sealed = forRun(codec(K1)).encode(List.of(json("x"))).get(0);
        byte[] data = sealed.getData().toByteArray();
        data[data.length - 1] ^= 1;
        Payload flipped = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
        assertTrue(assertThrows(PayloadCodecException.class, () -> codec(K1).decode(List.of(flipped))).getMessage().contains("fails authentication"));
        assertTrue(assertThrows(PayloadCodecException.class, () -> codec(K1_OTHER).decode(List.of(sealed))).getMessage()
                .contains("fails authentication"));
        PayloadCodecException unknown = assertThrows(PayloadCodecException.class, () -> codec(K2).decode(List.of(sealed)));
        assertTrue(unknown.getMessage().contains("key 'k1', which TRAINLAYER_PAYLOAD_KEYS does not have"), unknown.getMessage());
        Payload moved = sealed.toBuilder().putMetadata(EncryptionCodec.PROJECT, ByteString.copyFromUtf8("team-b")).build();
        assertThrows(PayloadCodecException.class, () -> codec(K1).decode(List.of(moved)), "the project is authenticated");
        Payload cut = sealed.toBuilder().setData(ByteString.copyFrom(new byte[5])).build();
        assertTrue(assertThrows(PayloadCodecException.class, () -> codec(K1).decode(List.of(cut))).getMessage().contains("truncated"));
    }

    @Test
    void plainPayloadsPassThroughAndTheConverterRoundTrips() {
        Payload plain = json("x");
        assertEquals(plain, codec(K1).decode(List.of(plain)).get(0));
        CodecDataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec(K1)), true);
        Payload viaConverter = converter.toPayload("hello").orElseThrow();
        assertTrue(EncryptionCodec.isEncrypted(viaConverter));
        assertEquals("hello", converter.fromPayload(viaConverter, String.class, String.class));
    }

    @Test
    void keysAreValidatedWithoutEchoingThem() {
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> PayloadKeys.parse("k:" + Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(shortKey.getMessage().contains("32"), shortKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse("nokey"));
        assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse("k:!!!"));
        assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse(K1 + "," + K1));
        assertFalse(assertThrows(IllegalArgumentException.class, () -> PayloadKeys.parse("k:" + "QUJD")).getMessage().contains("QUJD"));
        assertTrue(PayloadKeys.parse("").isEmpty());
    }

    @Test
    void projectsComeFromQualifiedWorkflowIdsOnly() {
        assertEquals("team-a", EncryptionCodec.projectOf("retrain/team-a/churn/run-1"));
        assertEquals("team-a", EncryptionCodec.projectOf("retrain/team-a/churn/run-1/search"));
        assertEquals("team-a", EncryptionCodec.projectOf("registry/team-a/churn-model"));
        assertEquals("team-a", EncryptionCodec.projectOf("schedule/team-a/churn"));
        assertNull(EncryptionCodec.projectOf("retrain/churn/run-1"));
        assertNull(EncryptionCodec.projectOf("registry/churn-model"));
        assertNull(EncryptionCodec.projectOf("something-else"));
        assertNull(EncryptionCodec.projectOf((String) null));
    }
}
