// Package widget holds the state and hit-testing of the dashboard's small
// controls: buttons, option selectors, numeric steppers and sliders. It draws
// nothing and does not import ebiten: the dashboard turns mouse and touch
// input into Pointer values, feeds them through a Tracker, hands the
// resulting Events to the widgets and draws them from their exported
// state.
package widget
