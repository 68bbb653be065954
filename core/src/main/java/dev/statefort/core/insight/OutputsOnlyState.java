package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.auth.AccessDeniedException;
import dev.statefort.core.policy.StateSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * What an outputs-only principal gets for a state: the real {@code version}, {@code
 * terraform_version}, {@code serial} and {@code lineage}, the outputs it may see, and no resources.
 * Enough for {@code data "terraform_remote_state"}; nothing else leaves the server.
 */
public final class OutputsOnlyState {
    private OutputsOnlyState() {}

    public static byte[] synthesize(InputStream state, StateSettings access) throws IOException {
        return synthesize(StateDocument.readToEnd(state), access);
    }

    /** From a state already parsed (a cached {@link StateDocument}); nothing of it is changed. */
    public static byte[] synthesize(StateDocument document, StateSettings access) throws IOException {
        return synthesize(document.root(), access);
    }

    private static byte[] synthesize(JsonNode root, StateSettings access) throws IOException {
        if (root == null
                || !root.isObject()
                || !root.path("version").isIntegralNumber()
                || root.has("encrypted_data")) {
            throw new AccessDeniedException(
                    "outputs-only access needs a plain Terraform state; this one is client-encrypted or not readable");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("version", root.get("version"));
        if (root.has("terraform_version")) {
            out.set("terraform_version", root.get("terraform_version"));
        }
        out.set("serial", root.path("serial"));
        out.set("lineage", root.path("lineage"));
        ObjectNode outputs = out.putObject("outputs");
        Iterator<Map.Entry<String, JsonNode>> fields = root.path("outputs").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> output = fields.next();
            if (visible(output.getKey(), output.getValue().path("sensitive").asBoolean(false), access)) {
                outputs.set(output.getKey(), output.getValue());
            }
        }
        out.putArray("resources");
        out.putNull("check_results");
        return StateDocument.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out);
    }

    private static boolean visible(String name, boolean sensitive, StateSettings access) {
        if (sensitive) {
            return access.sensitiveOutputsAllowed() != null
                    && access.sensitiveOutputsAllowed().contains(name);
        }
        return access.outputsAllowed() == null || access.outputsAllowed().contains(name);
    }
}
