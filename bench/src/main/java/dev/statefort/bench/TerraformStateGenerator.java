package dev.statefort.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic Terraform format-4 states, pretty-printed like Terraform (two-space indent): managed
 * resources of a few AWS-like types with ids, ARNs, tags, nested blocks and a sensitive attribute,
 * plus outputs. Deterministic: every resource is generated from its own seed, so two documents from
 * the same seed share their resources, and {@link Variant#CHANGED} adds, removes and changes some.
 */
public final class TerraformStateGenerator {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] TYPES = {"aws_instance", "aws_security_group", "aws_s3_bucket", "terraform_data"};
    private static final String[] INSTANCE_TYPES = {"t3.micro", "t3.small", "m6i.large", "c7g.xlarge"};
    private static final String[] ZONES = {"eu-west-1a", "eu-west-1b", "eu-west-1c"};

    /** Which of a pair of documents to generate. */
    public enum Variant {
        /** Every resource. */
        ORIGINAL,
        /** Every 50th resource removed, every 20th changed, and 2% more added at the end. */
        CHANGED
    }

    private final long seed;

    public TerraformStateGenerator(long seed) {
        this.seed = seed;
    }

    /** A state of at least {@code targetBytes} (resources are added until it is that large). */
    public byte[] ofAtLeast(long targetBytes) {
        int perResource = Math.max(1, resources(1, Variant.ORIGINAL).length - resources(0, Variant.ORIGINAL).length);
        int count = (int) Math.max(1, targetBytes / perResource);
        byte[] state = resources(count, Variant.ORIGINAL);
        while (state.length < targetBytes) {
            count += Math.max(1, (int) ((targetBytes - state.length) / perResource) + 1);
            state = resources(count, Variant.ORIGINAL);
        }
        return state;
    }

    /** A state with {@code count} resources (before the variant's changes). */
    public byte[] resources(int count, Variant variant) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, count * 1500));
        try (JsonGenerator g = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeNumberField("version", 4);
            g.writeStringField("terraform_version", "1.11.4");
            g.writeNumberField("serial", variant == Variant.ORIGINAL ? 41 : 42);
            g.writeStringField("lineage", new UUID(seed, seed * 31).toString());
            writeOutputs(g, count, variant);
            g.writeArrayFieldStart("resources");
            for (int i = 0; i < count; i++) {
                if (variant == Variant.CHANGED && i % 50 == 7) {
                    continue;
                }
                writeResource(g, i, variant == Variant.CHANGED && i % 20 == 3);
            }
            if (variant == Variant.CHANGED) {
                for (int i = count; i < count + Math.max(1, count / 50); i++) {
                    writeResource(g, i, false);
                }
            }
            g.writeEndArray();
            g.writeNullField("check_results");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private void writeOutputs(JsonGenerator g, int count, Variant variant) throws IOException {
        g.writeObjectFieldStart("outputs");
        g.writeObjectFieldStart("resource_count");
        g.writeNumberField("value", count);
        g.writeStringField("type", "number");
        g.writeEndObject();
        g.writeObjectFieldStart("db_password");
        g.writeStringField("value", variant == Variant.ORIGINAL ? "s3cr3t-original" : "s3cr3t-rotated");
        g.writeStringField("type", "string");
        g.writeBooleanField("sensitive", true);
        g.writeEndObject();
        g.writeEndObject();
    }

    private void writeResource(JsonGenerator g, int index, boolean changed) throws IOException {
        Random random = new Random(seed * 1_000_003L + index);
        String type = TYPES[index % TYPES.length];
        String id = type.equals("terraform_data") ? uuid(random) : prefix(type) + hex(random, 17);
        g.writeStartObject();
        g.writeStringField("mode", "managed");
        g.writeStringField("type", type);
        g.writeStringField("name", "r_" + index);
        g.writeStringField(
                "provider",
                type.equals("terraform_data")
                        ? "provider[\"terraform.io/builtin/terraform\"]"
                        : "provider[\"registry.terraform.io/hashicorp/aws\"]");
        g.writeArrayFieldStart("instances");
        g.writeStartObject();
        g.writeNumberField("schema_version", type.equals("aws_instance") ? 1 : 0);
        g.writeObjectFieldStart("attributes");
        g.writeStringField("id", id);
        g.writeStringField("arn", "arn:aws:ec2:eu-west-1:123456789012:" + type.substring(4) + "/" + id);
        g.writeStringField("availability_zone", ZONES[random.nextInt(ZONES.length)]);
        g.writeStringField("instance_type", changed ? "m6i.2xlarge" : INSTANCE_TYPES[random.nextInt(4)]);
        g.writeStringField("private_ip", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + 1);
        g.writeBooleanField("monitoring", random.nextBoolean());
        g.writeNumberField("cpu_core_count", 1 + random.nextInt(8));
        g.writeStringField("user_data", hex(random, 40));
        g.writeObjectFieldStart("tags");
        g.writeStringField("Name", "r-" + index);
        g.writeStringField("team", "platform-" + random.nextInt(12));
        g.writeStringField("cost_center", changed ? "cc-moved" : "cc-" + random.nextInt(100));
        g.writeEndObject();
        g.writeArrayFieldStart("ebs_block_device");
        for (int d = 0; d < 2; d++) {
            g.writeStartObject();
            g.writeStringField("device_name", "/dev/sd" + (char) ('b' + d));
            g.writeBooleanField("encrypted", true);
            g.writeNumberField("volume_size", 8 << random.nextInt(5));
            g.writeStringField("volume_id", "vol-" + hex(random, 17));
            g.writeStringField("volume_type", "gp3");
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("input");
        g.writeStringField("value", "item-" + index);
        g.writeStringField("type", "string");
        g.writeEndObject();
        g.writeStringField("password", hex(random, 24));
        g.writeNullField("triggers_replace");
        g.writeEndObject();
        g.writeArrayFieldStart("sensitive_attributes");
        g.writeStartArray();
        g.writeStartObject();
        g.writeStringField("type", "get_attr");
        g.writeStringField("value", "password");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String prefix(String type) {
        return switch (type) {
            case "aws_instance" -> "i-";
            case "aws_security_group" -> "sg-";
            default -> "bucket-";
        };
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static String hex(Random random, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
