package dev.statefort.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.StateKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records who did what. Details are small JSON objects of IDs and numbers, never state content or secrets. */
public final class AuditService {
    private static final Logger LOG = LoggerFactory.getLogger("audit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore metadata;
    private final Clock clock;

    public AuditService(MetadataStore metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    public AuditEvent record(String principal, String action, StateKey state, Map<String, ?> detail) {
        return record(principal, action, state.project(), state.name(), detail);
    }

    public AuditEvent record(String principal, String action, String project, String state, Map<String, ?> detail) {
        String json;
        try {
            json = JSON.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serializable", e);
        }
        AuditEvent stored =
                metadata.appendAudit(new AuditEvent(null, clock.instant(), principal, action, project, state, json));
        LOG.info("{} {} {}/{} {}", principal, action, project, state == null ? "-" : state, json);
        return stored;
    }

    public List<AuditEvent> list(AuditQuery query) {
        return metadata.listAudit(query);
    }
}
