package dev.trainlayer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trainlayer.workflows.spec.Violation;
import java.util.List;

/** An RFC 9457 problem document; {@code violations} name each offending field. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {}
