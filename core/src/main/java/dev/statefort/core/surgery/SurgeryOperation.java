package dev.statefort.core.surgery;

import dev.statefort.core.InvalidInputException;
import dev.statefort.core.model.Names;

/** One step of a state surgery, as {@code terraform state rm} and {@code terraform state mv} take it. */
public sealed interface SurgeryOperation {
    /** Removes a resource (every instance) or one instance from the state. */
    record Remove(InstanceAddress address) implements SurgeryOperation {}

    /**
     * Moves a resource or one instance to another address of the same type, in the same state or in
     * {@code toState} (another state of the same project; null: the same state).
     */
    record Move(InstanceAddress from, InstanceAddress to, String toState) implements SurgeryOperation {
        public Move {
            if (!from.type().equals(to.type()) || !from.mode().equals(to.mode())) {
                throw new InvalidInputException(
                        "cannot move " + from + " to " + to + ": a move keeps the resource type");
            }
            if (toState != null) {
                Names.require("state", toState);
            }
        }
    }

    /** {@code rm ADDRESS}. */
    static SurgeryOperation remove(String address) {
        return new Remove(InstanceAddress.parse(address));
    }

    /** {@code mv FROM TO} into {@code toState} (null: the same state). */
    static SurgeryOperation move(String from, String to, String toState) {
        return new Move(
                InstanceAddress.parse(from), InstanceAddress.parse(to == null || to.isBlank() ? from : to), toState);
    }

    /** An operation as the REST API, the UI and the CLI give it: {@code op} is {@code rm} or {@code mv}. */
    public static SurgeryOperation of(String op, String address, String to, String toState) {
        return switch (op == null ? "" : op) {
            case "rm" -> remove(address);
            case "mv" -> move(address, to, toState == null || toState.isBlank() ? null : toState.strip());
            default -> throw new InvalidInputException("an operation is rm or mv, not '" + op + "'");
        };
    }
}
