package dev.statefort.core.insight;

import com.fasterxml.jackson.databind.JsonNode;

/** One root-module output: its value, its type (as Terraform writes it) and the sensitive flag. */
public record OutputValue(String name, JsonNode value, JsonNode type, boolean sensitive) {}
