public enum Ops {}
