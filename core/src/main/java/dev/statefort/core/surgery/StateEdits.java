package dev.statefort.core.surgery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statefort.core.ConflictException;
import dev.statefort.core.InvalidInputException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Applies surgery operations to state trees (format version 4, as Terraform and OpenTofu write
 * them), in order: {@code rm} takes a resource or an instance out, {@code mv} gives it another address
 * in the same tree or in another one. The trees are changed in place; an operation that names
 * nothing, or a move onto an address in use, fails and the caller drops the trees.
 */
final class StateEdits {
    private StateEdits() {}

    /** Applies {@code op} to {@code trees} (state name to its tree), {@code source} being the state operated on. */
    static void apply(SurgeryOperation op, String source, Map<String, ObjectNode> trees) {
        ObjectNode from = trees.get(source);
        switch (op) {
            case SurgeryOperation.Remove remove -> take(from, remove.address(), source);
            case SurgeryOperation.Move move -> {
                String target = move.toState() == null ? source : move.toState();
                ObjectNode to = Objects.requireNonNull(trees.get(target), target);
                if (exists(to, move.to())) {
                    throw new ConflictException(move.to() + " is already in state " + target + ": remove it first");
                }
                if (move.from().hasKey() || move.to().hasKey()) {
                    String provider = provider(from, move.from()); // before the instance (maybe its resource) goes
                    ObjectNode instance = takeInstance(from, move.from(), source);
                    put(to, move.to(), instance, provider);
                } else {
                    ObjectNode resource = takeResource(from, move.from(), source);
                    setAddress(resource, move.to());
                    resources(to).add(resource);
                }
            }
        }
    }

    /** {@code rm}: the whole resource for an address without a key (all its instances), else the one instance. */
    private static void take(ObjectNode tree, InstanceAddress address, String state) {
        if (address.hasKey()) {
            takeInstance(tree, address, state);
        } else {
            takeResource(tree, address, state);
        }
    }

    private static ObjectNode takeResource(ObjectNode tree, InstanceAddress address, String state) {
        ArrayNode resources = resources(tree);
        for (int i = 0; i < resources.size(); i++) {
            if (isResource(resources.get(i), address)) {
                return (ObjectNode) resources.remove(i);
            }
        }
        throw notFound(address, state);
    }

    /** One instance out of its resource (the resource goes when it was its last). */
    private static ObjectNode takeInstance(ObjectNode tree, InstanceAddress address, String state) {
        ArrayNode resources = resources(tree);
        for (int i = 0; i < resources.size(); i++) {
            JsonNode resource = resources.get(i);
            if (!isResource(resource, address)) {
                continue;
            }
            ArrayNode instances = (ArrayNode) resource.path("instances");
            for (Iterator<JsonNode> it = instances.elements(); it.hasNext(); ) {
                JsonNode instance = it.next();
                if (sameKey(instance.get("index_key"), address.indexKey())) {
                    it.remove();
                    if (instances.isEmpty()) {
                        resources.remove(i);
                    }
                    return (ObjectNode) instance;
                }
            }
        }
        throw notFound(address, state);
    }

    /** Adds an instance under {@code address}, into its resource (made, with {@code provider}, when missing). */
    private static void put(ObjectNode tree, InstanceAddress address, ObjectNode instance, String provider) {
        if (address.hasKey()) {
            instance.set("index_key", address.indexKey());
        } else {
            instance.remove("index_key");
        }
        for (JsonNode resource : resources(tree)) {
            if (isResource(resource, address)) {
                ((ArrayNode) resource.path("instances")).add(instance);
                return;
            }
        }
        ObjectNode resource = resources(tree).addObject();
        setAddress(resource, address);
        if (address.hasKey()) {
            resource.put("each", address.indexKey().isNumber() ? "list" : "map");
        }
        resource.put("provider", provider);
        resource.putArray("instances").add(instance);
    }

    /** The provider configuration of the resource {@code address} is in (its alias and namespace kept). */
    private static String provider(ObjectNode tree, InstanceAddress address) {
        for (JsonNode resource : resources(tree)) {
            if (isResource(resource, address) && resource.has("provider")) {
                return resource.path("provider").asText();
            }
        }
        return "";
    }

    private static void setAddress(ObjectNode resource, InstanceAddress address) {
        if (address.module().isEmpty()) {
            resource.remove("module");
        } else {
            resource.put("module", address.module());
        }
        resource.put("mode", address.mode());
        resource.put("type", address.type());
        resource.put("name", address.name());
        if (address.hasKey()) {
            return;
        }
        for (JsonNode instance : resource.path("instances")) {
            if (instance.has("index_key") && resource.path("instances").size() == 1 && !resource.has("each")) {
                ((ObjectNode) instance).remove("index_key");
            }
        }
    }

    static boolean exists(ObjectNode tree, InstanceAddress address) {
        for (JsonNode resource : resources(tree)) {
            if (!isResource(resource, address)) {
                continue;
            }
            if (!address.hasKey()) {
                return true;
            }
            for (JsonNode instance : resource.path("instances")) {
                if (sameKey(instance.get("index_key"), address.indexKey())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isResource(JsonNode resource, InstanceAddress address) {
        return resource.path("module").asText("").equals(address.module())
                && resource.path("mode").asText("managed").equals(address.mode())
                && resource.path("type").asText().equals(address.type())
                && resource.path("name").asText().equals(address.name());
    }

    private static boolean sameKey(JsonNode a, JsonNode b) {
        boolean noA = a == null || a.isNull();
        boolean noB = b == null || b.isNull();
        if (noA || noB) {
            return noA && noB;
        }
        return a.isNumber() == b.isNumber() && a.asText().equals(b.asText());
    }

    private static ArrayNode resources(ObjectNode tree) {
        JsonNode resources = tree.get("resources");
        if (resources instanceof ArrayNode array) {
            return array;
        }
        return tree.putArray("resources");
    }

    private static InvalidInputException notFound(InstanceAddress address, String state) {
        return new InvalidInputException("state " + state + " has no " + address);
    }
}
