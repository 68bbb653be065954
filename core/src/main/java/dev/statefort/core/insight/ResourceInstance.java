package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One resource instance of a Terraform state.
 *
 * @param address the address Terraform shows, e.g. {@code module.net.aws_subnet.private["a"]}
 * @param module the module path ({@code module.net}), or empty for the root module
 * @param mode {@code managed} or {@code data}
 * @param indexKey the {@code count} index or {@code for_each} key, or null
 * @param attributes the instance's attributes object (never null; empty when absent)
 * @param sensitive the attribute paths Terraform marked sensitive, as a tree, for masking in one walk
 * @param maskedAttributes the attributes with every sensitive subtree or value masked, computed once
 *     when the version is parsed ({@code attributes} itself when nothing in it is sensitive)
 * @param provider the resource's provider configuration, e.g. {@code provider["registry.terraform.io/hashicorp/aws"]}
 *     (empty when the state names none)
 * @param identity the instance's resource identity (Terraform and OpenTofu 1.12 and later), or null
 */
public record ResourceInstance(
        String address,
        String module,
        String mode,
        String type,
        String name,
        JsonNode indexKey,
        JsonNode attributes,
        SensitiveTree sensitive,
        JsonNode maskedAttributes,
        String provider,
        JsonNode identity) {}
