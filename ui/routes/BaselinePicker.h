// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace Switchyard {

class LogReader;

// The baselines of the request log in a combo box ("name (40 requests)", the origin as tooltip),
// listed on the log reader's thread, with a Reload button; when there is none, a line that says
// how to make one.
class BaselinePicker final : public QWidget
{
    Q_OBJECT
public:
    explicit BaselinePicker(LogReader *reader, QWidget *parent = nullptr);

    QString current() const; // empty when there is none
    int count() const;
    QComboBox *comboBox() const { return m_combo; }
    QString problem() const { return m_problem; } // why the list could not be read; empty when it was

public Q_SLOTS:
    // Lists them again, keeping the one picked when it is still there.
    void refresh();

Q_SIGNALS:
    void listed();
    void currentChanged(const QString &name);

private:
    LogReader *m_reader;
    QComboBox *m_combo;
    QToolButton *m_reload;
    QLabel *m_empty;
    QString m_problem;
};

} // namespace Switchyard
