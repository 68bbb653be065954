package dev.statefort.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * One resource instance as the fleet's search index keeps it: where it is and what identifies the
 * object it stands for, never a sensitive value.
 *
 * @param address the address Terraform shows, e.g. {@code module.net.aws_subnet.private["a"]}
 * @param type the resource type
 * @param provider the provider configuration the state names (empty when none)
 * @param mode {@code managed} or {@code data}
 * @param module the module path, empty for the root module
 * @param fields identifying values by name, in a stable order: attributes such as {@code id} or
 *     {@code arn}, and the resource identity's values as {@code identity.<name>}
 * @param ownerKey what makes two managed instances the same object ({@code type} plus the identity,
 *     or the {@code arn}, or the {@code id}), or null when nothing identifies it (a data source, no
 *     identifying value)
 */
public record IndexedInstance(
        String address,
        String type,
        String provider,
        String mode,
        String module,
        Map<String, String> fields,
        String ownerKey) {
    public IndexedInstance {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        provider = provider == null ? "" : provider;
        module = module == null ? "" : module;
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }
}
