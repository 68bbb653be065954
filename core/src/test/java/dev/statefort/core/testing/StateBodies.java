package dev.statefort.core.testing;

/** Terraform state bodies for tests: JSON as Terraform writes it, with {@code terraform_data} resources. */
public final class StateBodies {
    private StateBodies() {}

    /** A state with {@code count} resources {@code terraform_data.r0 .. r<count-1>} and no outputs. */
    public static String withResources(String lineage, long serial, int count) {
        StringBuilder resources = new StringBuilder();
        for (int i = 0; i < count; i++) {
            resources
                    .append(i == 0 ? "" : ",")
                    .append("{\"mode\":\"managed\",\"type\":\"terraform_data\",\"name\":\"r")
                    .append(i)
                    .append("\",\"provider\":\"provider[\\\"terraform.io/builtin/terraform\\\"]\",")
                    .append("\"instances\":[{\"schema_version\":0,\"attributes\":{\"id\":\"id-r")
                    .append(i)
                    .append("\"}}]}");
        }
        return "{\"version\":4,\"terraform_version\":\"1.9.0\",\"serial\":" + serial + ",\"lineage\":\"" + lineage
                + "\",\"outputs\":{},\"resources\":[" + resources + "]}";
    }
}
