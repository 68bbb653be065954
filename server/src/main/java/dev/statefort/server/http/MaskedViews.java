package dev.statefort.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statefort.core.insight.Masking;
import dev.statefort.core.insight.OutputValue;
import dev.statefort.core.insight.ResourceInstance;

/** A resource and an output with sensitive values masked, as the REST API sends them and the UI embeds them. */
public final class MaskedViews {
    private MaskedViews() {}

    public record ResourceDetail(
            String address,
            String module,
            String mode,
            String type,
            String name,
            JsonNode indexKey,
            JsonNode attributes) {
        public static ResourceDetail of(ResourceInstance r) {
            return new ResourceDetail(
                    r.address(), r.module(), r.mode(), r.type(), r.name(), r.indexKey(), r.maskedAttributes());
        }
    }

    public record OutputDetail(String name, JsonNode type, boolean sensitive, JsonNode value) {
        public static OutputDetail of(OutputValue o) {
            return new OutputDetail(o.name(), o.type(), o.sensitive(), Masking.outputValue(o));
        }
    }
}
