package dev.trainlayer.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.trainlayer.api.auth.Allowed;
import dev.trainlayer.api.auth.Caller;
import dev.trainlayer.api.auth.Role;
import dev.trainlayer.workflows.codec.EncryptionCodec;
import dev.trainlayer.workflows.codec.PayloadKeys;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Temporal's codec-server protocol, so the Temporal web UI (and {@code temporal workflow show --codec-endpoint})
 * shows decrypted payloads to people who may see them: {@code POST /codec/decode} and {@code /codec/encode} with
 * {@code {"payloads":[{"metadata":{…base64…},"data":"base64"}]}}. Behind the same keys and roles as every route:
 * a viewer decodes the payloads of its own project (the project each payload was encrypted for is authenticated in
 * it); payloads of other projects, or written without one, come back still encrypted. Encoding (the UI sending a
 * signal) needs a trainer and encrypts for the caller's project. Without payload keys both answer the payloads as
 * they are. CORS for the web UI's origin: {@link CodecCors}.
 */
@Controller("/codec")
public class CodecController {
    private final Optional<EncryptionCodec> codec;

    public CodecController(@Value("${trainlayer.payload-keys:}") String payloadKeys) {
        this.codec = PayloadKeys.parse(payloadKeys).map(EncryptionCodec::new);
    }

    @Post(value = "/decode", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Allowed(Role.VIEWER)
    public HttpResponse<String> decode(@Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Payloads in = read(body);
        if (codec.isEmpty()) {
            return HttpResponse.ok(write(in));
        }
        List<Payload> out = new ArrayList<>();
        for (Payload p : in.getPayloadsList()) {
            boolean mine = EncryptionCodec.isEncrypted(p) && caller.project().equals(EncryptionCodec.projectOf(p));
            out.add(mine ? decodeOne(p) : p);
        }
        return HttpResponse.ok(write(Payloads.newBuilder().addAllPayloads(out).build()));
    }

    @Post(value = "/encode", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Allowed(Role.TRAINER)
    public HttpResponse<String> encode(@Nullable @Body String body, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        Payloads in = read(body);
        if (codec.isEmpty()) {
            return HttpResponse.ok(write(in));
        }
        // A workflow id of the caller's project gives the codec its project (see EncryptionCodec.projectOf).
        List<Payload> out = codec.get().withContext(new WorkflowSerializationContext("", "registry/" + caller.project() + "/codec"))
                .encode(in.getPayloadsList());
        return HttpResponse.ok(write(Payloads.newBuilder().addAllPayloads(out).build()));
    }

    private Payload decodeOne(Payload p) {
        try {
            return codec.get().decode(List.of(p)).get(0);
        } catch (PayloadCodecException e) {
            throw new ApiException(io.micronaut.http.HttpStatus.UNPROCESSABLE_ENTITY, "undecodable-payload", "payloads: " + e.getMessage());
        }
    }

    private static Payloads read(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("payloads", "send {\"payloads\": [{\"metadata\": {...}, \"data\": \"base64\"}]}");
        }
        try {
            Payloads.Builder b = Payloads.newBuilder();
            JsonFormat.parser().merge(body, b);
            return b.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw ApiException.badRequest("payloads", "is not Temporal's codec JSON {\"payloads\": [{\"metadata\": {...}, \"data\": \"base64\"}]}");
        }
    }

    private static String write(Payloads payloads) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(payloads);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
