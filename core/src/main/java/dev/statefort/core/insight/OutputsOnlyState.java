package dev.statefort.core.insight;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * From a state's bytes, streaming: only {@code version}, {@code terraform_version}, {@code
     * serial}, {@code lineage} and {@code outputs} are built; the resources are skipped unread into
     * any tree, so a state beyond the analysis limits costs no more heap than its outputs. The stream
     * is read to its end (a stream that checks its digest judges there).
     *
     * @param limits reads at most their JSON tokens before the outputs are complete (Terraform writes
     *     them before the resources)
     * @throws AnalysisLimitException when the outputs come after more tokens than that
     */
    public static byte[] synthesize(InputStream state, StateSettings access, StateDocument.Parser limits)
            throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        try (JsonParser parser = limits.streaming(state)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME && !complete(root)) {
                    String field = parser.currentName();
                    parser.nextToken();
                    if (KEPT.contains(field)) {
                        root.set(field, parser.readValueAsTree());
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw AnalysisLimitException.of(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            root = null; // not JSON: refused below as not a plain state
        }
        state.transferTo(java.io.OutputStream.nullOutputStream());
        return synthesize(root, access);
    }

    private static final java.util.Set<String> KEPT =
            java.util.Set.of("version", "terraform_version", "serial", "lineage", "outputs", "encrypted_data");

    /** Whether what an outputs-only reader gets is all read (a plain state has no encrypted data). */
    private static boolean complete(ObjectNode root) {
        return root.has("version") && root.has("serial") && root.has("lineage") && root.has("outputs");
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
