package dev.trainlayer.workflows.spec;

import java.util.List;

/** One small, named check over a spec. Returns every violation it finds, each naming its field. */
public interface SpecRule {
    String name();

    List<Violation> check(PipelineSpec spec);
}
