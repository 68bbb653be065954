package dev.statefort.core;

/** The request itself is wrong (bad name, bad body, bad checksum); answered with 400. */
public class InvalidInputException extends StatefortException {
    public InvalidInputException(String message) {
        super(message);
    }
}
