package dev.trainlayer.workflows.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a {@link PipelineSpec} from JSON or YAML (JSON is YAML, so one path serves both; the
 * content type only picks the error wording). Unknown fields are errors: a typo must not silently
 * fall back to a default. Parse errors come back as {@link InvalidSpecException} naming the field.
 */
public final class SpecParser {
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(new YAMLFactory()).build());
    private static final ObjectMapper CANONICAL = configure(JsonMapper.builder().build())
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private SpecParser() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    }

    /** Parses and validates; the returned spec is not yet defaulted. */
    public static PipelineSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException(List.of(new Violation("$", "the spec is empty; send a JSON or YAML pipeline spec")));
        }
        PipelineSpec spec;
        try {
            spec = YAML.readValue(text, PipelineSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new InvalidSpecException(List.of(new Violation(path(e),
                    "unknown field '" + e.getPropertyName() + "'" + (known.isEmpty() ? "" : "; known fields: " + known))));
        } catch (JsonMappingException e) {
            throw new InvalidSpecException(List.of(new Violation(path(e), cleanMessage(e))));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidSpecException(List.of(new Violation("$", "malformed JSON/YAML" + where + ": " + e.getOriginalMessage())));
        }
        if (spec == null) {
            throw new InvalidSpecException(List.of(new Violation("$", "the spec is empty; send a JSON or YAML pipeline spec")));
        }
        List<Violation> violations = SpecValidator.standard().validate(spec);
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return spec;
    }

    /** Canonical JSON (sorted keys, defaults resolved) — what is hashed and stored with every run. */
    public static String canonicalJson(PipelineSpec spec) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.readTree(CANONICAL.writeValueAsString(spec.withDefaults())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("spec cannot be serialized", e);
        }
    }

    /** sha256 of the canonical JSON: equal for specs that mean the same thing. */
    public static String hash(PipelineSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "$" : sb.toString();
    }

    private static String cleanMessage(JsonMappingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        String msg = e.getOriginalMessage();
        if (msg == null) {
            return "invalid value";
        }
        int cut = msg.indexOf(" at [Source");
        msg = cut > 0 ? msg.substring(0, cut) : msg;
        if (msg.startsWith("Cannot deserialize value of type")) {
            return "wrong type: " + msg.replaceAll("`[a-zA-Z.$]*\\.([A-Za-z]+)`", "$1");
        }
        return msg;
    }
}
