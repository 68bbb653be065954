package dev.statefort.bench.load;

/** Prints a Terraform-shaped state of about N bytes (the GET scenario's body, for both servers). */
public final class StateFile {
    private StateFile() {}

    public static void main(String[] args) throws Exception {
        System.out.write(LoadGenerator.state(1, Integer.parseInt(args[0])));
        System.out.flush();
    }
}
