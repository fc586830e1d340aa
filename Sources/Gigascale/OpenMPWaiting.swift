import GigaEngine

/// How oneDNN's OpenMP threads wait between parallel regions, and the relaunch that makes them
/// spin only briefly before they sleep, which keeps a busy machine from costing ten times the run
/// (the engine's `OpenMPWaiting`, documented there). `gigascale` calls
/// `OpenMPWaiting.relaunchWithBriefSpinning()` first thing in an upscale; a program built on the
/// library should do the same, or be started with `GOMP_SPINCOUNT=1000` in its environment.
public typealias OpenMPWaiting = GigaEngine.OpenMPWaiting
