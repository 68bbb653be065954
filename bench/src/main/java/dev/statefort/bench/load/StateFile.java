package dev.statefort.bench.load;

/** Prints a Terraform-shaped state of about N bytes (the GET scenario's body, for both servers). */
public final class StateFile {
    private StateFile() {}

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        System.out.write(new dev.statefort.bench.TerraformStateGenerator(size).ofAtLeast(size));
        System.out.flush();
    }
}
