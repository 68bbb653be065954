package dev.statefort.server.cli;

/** Entry point of the runnable jar. */
public final class StatefortCli {
    private StatefortCli() {}

    public static void main(String[] args) {
        System.out.println("statefort");
    }
}
